//! `str_enum!`: an enum of fixed names, each with its stored and serialised string, as the areas
//! declare their vocabularies (case kinds and statuses, ratings and awards). Used with the
//! crate's `serde` derives in scope.

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        // In declaration order: an enum declared from lowest to highest reads `>=` as "at least".
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($s => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str { self.as_str() }
        }
        /// Compares with a stored name (`status == "answered"`): tests and templates read so.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool { self.as_str() == *other }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool { self.as_str() == other }
        }
        /// How the store decodes a stored value: an unknown name is an error, never a default.
        impl TryFrom<String> for $name {
            type Error = crate::UnknownValue;
            fn try_from(s: String) -> Result<$name, Self::Error> {
                $name::parse(&s).ok_or(crate::UnknownValue { what: stringify!($name), value: s })
            }
        }
    };
}
