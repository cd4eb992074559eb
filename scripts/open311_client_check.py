"""Checks danvan's Open311 endpoint with an unmodified third-party client (georeport, PyPI).

Usage: python3 scripts/open311_client_check.py http://127.0.0.1:PORT/open311/v2
Lists services, reads a service definition, lists requests and fetches one, in JSON and XML.
"""
import sys

from georeport import GeoReport

root = sys.argv[1]
for fmt in ("json", "xml"):
    client = GeoReport(root_address=root, jurisdiction="ha-noi", output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "thoat-nuoc" in codes, codes
    definition = client.get_service_definition("thoat-nuoc")
    assert definition["service_code"] == "thoat-nuoc", definition
    requests = client.get_service_requests()
    if isinstance(requests, dict):  # xmltodict gives a dict for a single element
        requests = [requests]
    assert len(requests) > 0, "the demo has published requests in the last 90 days"
    first = requests[0]
    one = client.get_service_request(first["service_request_id"])
    assert one["service_request_id"] == first["service_request_id"], one
    assert one["status"] in ("open", "closed"), one
    for private in ("email", "phone", "first_name", "last_name"):
        assert private not in one, f"{private} must never be returned"
    print(f"{fmt}: {len(services)} services, {len(requests)} requests, fetched {one['service_request_id']} ({one['status']})")
print("open311 client check: ok")
