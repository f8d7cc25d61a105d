"""Public operator API routes, written in API Gateway's path syntax: as the resolver declares them and as a raw path
matches them (what `csms local`'s HTTP API lets through without a token)."""

from csms.public_routes import public_methods, resolver_routes


def test_a_path_parameter_matches_one_segment() -> None:
    assert public_methods("/api/files/AbC-_12") == ("GET", "HEAD", "PUT")
    assert public_methods("/api/files/a/b") == ()
    assert public_methods("/api/files/") == ()
    assert public_methods("/api/files") == ()


def test_fixed_paths_match_exactly() -> None:
    assert public_methods("/api/health") == ("GET", "HEAD")
    assert public_methods("/api/healthz") == ()
    assert public_methods("/api/chargers") == ()


def test_the_resolver_declares_parameters_in_angle_brackets() -> None:
    assert {("PUT", "/api/files/<token>"), ("GET", "/api/health")} <= resolver_routes()
