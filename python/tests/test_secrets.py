"""The secrets grammar (SESSIONS.md section 7): the shared suite
testdata/secrets/secrets.json run unchanged, secrets that are not valid
Unicode refused by the codec, and the file reader and reloader."""

from __future__ import annotations

import json
import os
import pathlib
import threading
from typing import Any, Callable

import pytest
from conftest import TESTDATA

import cookieseal
from cookieseal import (
    MAX_SECRETS_FILE_SIZE,
    Codec,
    ConfigError,
    SecretsReloader,
    derive_key,
    generate_secret,
    parse_secrets,
    parse_secrets_file,
    read_secrets_file,
    secrets_from_env,
)

SUITE = json.loads((TESTDATA / "secrets" / "secrets.json").read_text("utf-8"))


def ids(secrets: list[str]) -> list[str]:
    return [derive_key(s)[1] for s in secrets]


def no_secret(err: BaseException, *secrets: str) -> None:
    for s in secrets:
        assert s not in str(err) and s[:16] not in str(err), "the error quotes a secret"


def test_suite_header() -> None:
    assert SUITE["suite"] == "cookieseal secrets"
    assert SUITE["format"] == 1
    assert SUITE["cases"]


@pytest.mark.parametrize("case", SUITE["cases"], ids=[c["id"] for c in SUITE["cases"]])
def test_secrets_suite(case: dict[str, Any], tmp_path: pathlib.Path) -> None:
    assert ("input" in case) != ("input_hex" in case), "exactly one of input and input_hex"
    data = case["input"].encode("utf-8") if "input" in case else bytes.fromhex(case["input_hex"])
    runs: list[Callable[[], list[str]]] = []
    if case["kind"] == "string":
        runs += [lambda: parse_secrets(case["input"]), lambda: secrets_from_env(case["input"])]
    elif case["kind"] == "file":
        path = tmp_path / "secrets"
        path.write_bytes(data)
        now = case.get("now")
        runs += [lambda: parse_secrets_file(data, now), lambda: read_secrets_file(str(path), now)]
        if "input" in case:
            runs.append(lambda: parse_secrets_file(case["input"], now))
    else:
        pytest.fail(f"kind {case['kind']}")
    for run in runs:
        if "error" in case["expect"]:
            with pytest.raises(ConfigError, match=r"not valid UTF-8 \(line \d+\)|activate"):
                run()
            continue
        got = run()
        assert got == case["expect"]["secrets"]
        assert ids(got) == case["expect"]["key_ids"]
        if got:
            assert list(Codec(got).key_ids) == case["expect"]["key_ids"]


def test_exports() -> None:
    assert cookieseal.secrets_from_env is cookieseal.parse_secrets
    assert parse_secrets(None) == [] and parse_secrets("") == []
    with pytest.raises(ConfigError):
        parse_secrets(b"x" * 40)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        parse_secrets_file(42)  # type: ignore[arg-type]


# Secrets that are not valid Unicode: a str with a lone surrogate has no UTF-8
# form (os.environ makes one of each byte that is not UTF-8).
NOT_UNICODE = [
    ("a lone high surrogate at the end", "x" * 40 + "\ud800"),
    ("a lone low surrogate", "x" * 20 + "\udc00" + "x" * 20),
    ("a reversed pair", "x" * 40 + "\udc00\ud800"),
    ("a pair as two code points", "\ud83d\ude00" + "x" * 40),
    ("surrogateescape of a Latin-1 byte", b"caf\xe9-and-more-to-reach-32-bytes-xxxxxxxx".decode("utf-8", "surrogateescape")),
]


@pytest.mark.parametrize("secret", [s for _, s in NOT_UNICODE], ids=[w for w, _ in NOT_UNICODE])
def test_codec_refuses_a_secret_that_is_not_unicode(secret: str) -> None:
    good = generate_secret()
    for ring in ([secret], [good, secret]):
        with pytest.raises(ConfigError, match="not valid Unicode") as e:
            Codec(ring)
        assert "x" * 16 not in str(e.value)
    codec = Codec([good])
    with pytest.raises(ConfigError):
        codec.set_secrets([secret, good])
    assert list(codec.key_ids) == ids([good]), "the ring stays as it was"
    with pytest.raises(ConfigError, match=r"not valid UTF-8 \(line 2\)"):
        parse_secrets_file(good + "\n" + secret + "\n")


def test_codec_takes_valid_non_ascii_secrets() -> None:
    s = "\U0001f600" + "x" * 40
    assert list(Codec([s, "x" * 40 + "\ufffd"]).key_ids) == ids([s, "x" * 40 + "\ufffd"])


def test_read_secrets_file_errors(tmp_path: pathlib.Path) -> None:
    a = generate_secret()
    exact = tmp_path / "exact"
    exact.write_text(a + "\n" + "#" * (MAX_SECRETS_FILE_SIZE - len(a) - 2) + "\n")
    assert read_secrets_file(str(exact)) == [a]
    over = tmp_path / "over"
    over.write_text(a + "\n" + "#" * (MAX_SECRETS_FILE_SIZE - len(a) - 1) + "\n")
    with pytest.raises(ConfigError, match="larger than 65536 bytes") as e:
        read_secrets_file(str(over))
    no_secret(e.value, a)
    if os.path.exists("/dev/zero"):
        with pytest.raises(ConfigError, match="larger than"):
            read_secrets_file("/dev/zero")
    with pytest.raises(ConfigError) as e:
        read_secrets_file(str(tmp_path))
    assert isinstance(e.value.__cause__, IsADirectoryError)
    with pytest.raises(ConfigError) as e:
        read_secrets_file(str(tmp_path / "none"))
    assert isinstance(e.value.__cause__, FileNotFoundError)
    bad = tmp_path / "bad"
    bad.write_bytes(("# ring\n" + a + "\n").encode() + b"\xe9\n")
    with pytest.raises(ConfigError) as e:
        read_secrets_file(str(bad))
    assert str(e.value) == f"cookieseal: secrets file {bad} is not valid UTF-8 (line 3)"


def setup(tmp_path: pathlib.Path, text: str, **opts: bool) -> tuple[pathlib.Path, Codec, SecretsReloader]:
    path = tmp_path / "secrets"
    path.write_text(text)
    codec = Codec(read_secrets_file(str(path)))
    return path, codec, SecretsReloader(codec, str(path), **opts)


def test_reloader_applies_settled_content_only(tmp_path: pathlib.Path) -> None:
    a, b, c = generate_secret(), generate_secret(), generate_secret()
    path, codec, r = setup(tmp_path, a + "\n")
    path.write_text(b + "\n" + a + "\n")
    assert r.poll() == cookieseal.PollResult(False, None)
    assert list(codec.key_ids) == ids([a]), "content read once is not applied"
    assert r.poll() == cookieseal.PollResult(True, None)
    assert list(codec.key_ids) == ids([b, a])
    assert r.poll() == cookieseal.PollResult(False, None)

    # A torn write: the prefix of the new first secret is read once, then the whole.
    path.write_text(c[:40] + "\n" + b + "\n")
    r.poll()
    path.write_text(c + "\n" + b + "\n")
    r.poll()
    assert list(codec.key_ids) == ids([b, a]), "the torn read was never applied"
    r.poll()
    assert list(codec.key_ids) == ids([c, b])

    path.write_text(a + "\n" + c + "\n")
    r.reload()
    assert list(codec.key_ids) == ids([a, c]), "reload() applies at once: it reads twice"


def test_reloader_keeps_a_key(tmp_path: pathlib.Path) -> None:
    a, b, c = generate_secret(), generate_secret(), generate_secret()
    path, codec, r = setup(tmp_path, a + "\n" + b + "\n")
    path.write_text(c + "\n")
    with pytest.raises(ConfigError, match="keeps none of the current keys") as e:
        r.reload()
    no_secret(e.value, a, b, c)
    assert list(codec.key_ids) == ids([a, b])
    with pytest.raises(ConfigError, match="keeps none"):
        r.reload()  # an unchanged refused file raises again
    path.write_text(c + "\n" + b + "\n")
    r.reload()
    assert list(codec.key_ids) == ids([c, b])

    other = tmp_path / "other"
    other.mkdir()
    opath, ocodec, o = setup(other, a + "\n", allow_replace_all=True)
    opath.write_text(c + "\n")
    o.reload()
    assert list(ocodec.key_ids) == ids([c])


def test_reloader_keeps_the_ring_on_every_error(tmp_path: pathlib.Path) -> None:
    a, b = generate_secret(), generate_secret()
    path, codec, r = setup(tmp_path, a + "\n")
    bad: list[tuple[str, bytes | None, str]] = [
        ("missing", None, "No such file"),
        ("not UTF-8", (b + "\n" + a).encode() + b"\xff", r"not valid UTF-8 \(line 2\)"),
        ("a short secret", (b + "\nshort\n" + a + "\n").encode(), "secret 2 of 3 is 5 bytes"),
        ("no secret", b"# none\n", "no secrets"),
        ("two alike", (a + "\n" + a + "\n").encode(), "identical"),
        ("too large", (b + "\n" + a + "\n" + "#" * MAX_SECRETS_FILE_SIZE).encode(), "larger than"),
    ]
    for what, content, pattern in bad:
        if content is None:
            path.unlink()
        else:
            path.write_bytes(content)
        with pytest.raises(ConfigError, match=pattern) as e:
            r.reload()
        no_secret(e.value, a, b)
        assert list(codec.key_ids) == ids([a]), what
    path.write_text(b + "\n" + a + "\n")
    r.reload()
    assert list(codec.key_ids) == ids([b, a])


def test_failing_reloader_leaves_the_codec(tmp_path: pathlib.Path) -> None:
    a = generate_secret()
    codec = Codec([a])
    with pytest.raises(ConfigError):
        SecretsReloader(codec, str(tmp_path / "none"))
    (tmp_path / "empty").write_text("")
    with pytest.raises(ConfigError, match="no secrets"):
        SecretsReloader(codec, str(tmp_path / "empty"))
    assert list(codec.key_ids) == ids([a])


def test_reloader_follows_a_kubernetes_data_swap(tmp_path: pathlib.Path) -> None:
    """secrets -> ..data/secrets, ..data -> ..2026_12_08_v1; an update writes
    ..2026_12_08_v2 and renames a new ..data symlink over the old one."""
    a, b = generate_secret(), generate_secret()

    def version(name: str, text: str) -> None:
        (tmp_path / name).mkdir()
        (tmp_path / name / "secrets").write_text(text)
        os.symlink(name, tmp_path / "..data_tmp")
        os.replace(tmp_path / "..data_tmp", tmp_path / "..data")

    version("..2026_12_08_v1", a)
    path = tmp_path / "secrets"
    os.symlink(os.path.join("..data", "secrets"), path)
    codec = Codec(read_secrets_file(str(path)))
    r = SecretsReloader(codec, str(path))
    assert list(codec.key_ids) == ids([a])
    version("..2026_12_08_v2", b + "\n" + a)
    (tmp_path / "..2026_12_08_v1" / "secrets").unlink()
    (tmp_path / "..2026_12_08_v1").rmdir()
    r.reload()
    assert list(codec.key_ids) == ids([b, a])


def test_reloader_start_reports_each_failure_once(tmp_path: pathlib.Path) -> None:
    a, b = generate_secret(), generate_secret()
    path, codec, r = setup(tmp_path, a + "\n")
    errors: list[ConfigError] = []
    reported = threading.Event()

    def on_error(e: ConfigError) -> None:
        errors.append(e)
        reported.set()

    stop = r.start(0.005, on_error)
    try:
        path.write_text(b + "\n" + a + "\n")
        for _ in range(2000):
            if codec.key_ids[0] == ids([b])[0]:
                break
            threading.Event().wait(0.005)
        assert list(codec.key_ids) == ids([b, a])
        path.write_text(b + "\nshort\n")
        assert reported.wait(10), "the bad file was reported"
        polled = r.poll()  # settled: no news
        assert not polled.changed and polled.error is not None and "is 5 bytes" in str(polled.error)
        assert len(errors) == 1
        assert list(codec.key_ids) == ids([b, a])
    finally:
        stop()
    for bad in (0, -1, float("nan"), float("inf"), True):
        with pytest.raises(ConfigError, match="interval"):
            r.start(bad)


def test_reloader_activates(tmp_path: pathlib.Path) -> None:
    """A secret with an activate= time opens at once and seals from that
    time, on the next poll, without a file change; nobody is logged out."""
    old, new = cookieseal.generate_secret(), cookieseal.generate_secret()
    at = 1780272000  # 2026-06-01T00:00:00Z
    clock = [at - 60.0]
    path = tmp_path / "secrets"
    path.write_text(f"{new} #activate=2026-06-01T00:00:00Z\n{old}\n")
    path.chmod(0o600)
    codec = Codec([old], now=lambda: clock[0])
    r = cookieseal.SecretsReloader(codec, str(path))
    old_id, new_id = Codec([old]).key_ids[0], Codec([new]).key_ids[0]
    assert codec.key_ids == (old_id, new_id)
    before = codec.seal("s", "v")
    assert not r.poll().changed
    clock[0] = at
    assert r.poll().changed
    assert codec.key_ids == (new_id, old_id)
    _, info = codec.open_info("s", before)
    assert info.reissue, "the old cookie opens and is re-issued"
    u = codec.key_usage()
    assert u[1].retire_after == at + codec.max_age + 60
    assert u[1].sealed == 1 and u[0].sealed == 0
