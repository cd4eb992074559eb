-- English names for the default categories of databases seeded before they had them
-- (the seed gives them to new databases); administrators edit them in /admin/categories.
UPDATE categories SET name_en = 'Damaged roads and pavements' WHERE code = 'giao-thong' AND name_en = '';
UPDATE categories SET name_en = 'Drains, sewers and flooding' WHERE code = 'thoat-nuoc' AND name_en = '';
UPDATE categories SET name_en = 'Street lighting' WHERE code = 'chieu-sang' AND name_en = '';
UPDATE categories SET name_en = 'Waste and sanitation' WHERE code = 've-sinh' AND name_en = '';
UPDATE categories SET name_en = 'Noise, smoke, dust and pollution' WHERE code = 'o-nhiem' AND name_en = '';
UPDATE categories SET name_en = 'Encroachment on roads and pavements; urban order' WHERE code = 'trat-tu-do-thi' AND name_en = '';
UPDATE categories SET name_en = 'Building without or against a permit' WHERE code = 'xay-dung' AND name_en = '';
UPDATE categories SET name_en = 'Land, boundaries and land-use certificates' WHERE code = 'dat-dai' AND name_en = '';
UPDATE categories SET name_en = 'Security and order in the neighbourhood' WHERE code = 'an-ninh' AND name_en = '';
UPDATE categories SET name_en = 'Social policies and welfare' WHERE code = 'chinh-sach' AND name_en = '';
UPDATE categories SET name_en = 'Administrative procedures, service attitude' WHERE code = 'thu-tuc' AND name_en = '';
UPDATE categories SET name_en = 'Life of the residential area and group' WHERE code = 'khu-dan-cu' AND name_en = '';
UPDATE categories SET name_en = 'Suggestions on building the Party and government' WHERE code = 'gop-y' AND name_en = '';
