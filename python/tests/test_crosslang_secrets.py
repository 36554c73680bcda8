"""Cross-language: one secrets file and one secrets string give the same key
IDs in Python, in Go (the cookieseal command's keyids, which reads them with
the Go package's ReadSecretsFile and SecretsFromEnv) and in JavaScript
(parseSecrets and the Node-only readSecretsFile of js/dist). The file has
comments, blanks around secrets, CRLF, a secret ending in U+00A0 and no final
newline; the string has a trailing space. Needs Go and Node; under CI a
missing one is a failure."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from conftest import REPO

import cookieseal

JS = pathlib.Path(os.environ.get("COOKIESEAL_JS_DIR") or REPO / "js")

# Public test values: never use them.
A = "cookieseal-crosslang-secrets-A-PUBLIC-never-use"
B = "cookieseal-crosslang-secrets-B-PUBLIC-never-use"
C = "cookieseal-crosslang-secrets-C-PUBLIC-never-use\u00a0"  # NBSP is part of it

FILE = f"\ufeff# sealing secret first\r\n{A}  # added 2026-12-08\r\n\t{B} \t\n\n  # retiring:\n{C}"
STRING = f" {A} ,{B}\t\n{C} "
WANT = [cookieseal.derive_key(s)[1] for s in (A, B, C)]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is needed for the cross-language secrets test")
        pytest.skip(f"no {tool}")
    return path


@pytest.fixture(scope="module")
def secrets_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("crosslang-secrets") / "secrets"
    path.write_bytes(FILE.encode("utf-8"))
    return path


def test_python(secrets_file: pathlib.Path) -> None:
    assert cookieseal.read_secrets_file(str(secrets_file)) == [A, B, C]
    assert cookieseal.parse_secrets(STRING) == [A, B, C]
    assert list(cookieseal.Codec(cookieseal.parse_secrets(STRING)).key_ids) == WANT
    assert list(cookieseal.Codec(cookieseal.read_secrets_file(str(secrets_file))).key_ids) == WANT


def test_go_command(secrets_file: pathlib.Path, tmp_path: pathlib.Path) -> None:
    go = need("go")
    cli = tmp_path / "cookieseal"
    subprocess.run([go, "build", "-o", str(cli), "./cmd/cookieseal"], cwd=REPO, check=True, timeout=600)
    env = {k: v for k, v in os.environ.items() if k != "COOKIESEAL_SECRETS"}
    r = subprocess.run([str(cli), "keyids", "-secrets-file", str(secrets_file)], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [*WANT, ""]
    r = subprocess.run([str(cli), "keyids"], env={**env, "COOKIESEAL_SECRETS": STRING}, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [*WANT, ""]


SCRIPT = """
import { Codec, parseSecrets } from %s;
import { readSecretsFile } from %s;
const [path, string] = process.argv.slice(1);
process.stdout.write(JSON.stringify({
  file: new Codec({ secrets: readSecretsFile(path) }).keyIds,
  string: new Codec({ secrets: parseSecrets(string) }).keyIds,
}));
"""


def test_javascript(secrets_file: pathlib.Path) -> None:
    if not (JS / "package.json").exists():
        pytest.skip("no js/ package in this checkout")
    node = need("node")
    dist = JS / "dist"
    if not (dist / "node-secrets.js").exists():
        npm = need("npm")
        if not (JS / "node_modules").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=600)
        subprocess.run([npm, "run", "build"], cwd=JS, check=True, timeout=600)
    script = SCRIPT % (json.dumps((dist / "index.js").as_uri()), json.dumps((dist / "node-secrets.js").as_uri()))
    r = subprocess.run(
        [node, "--input-type=module", "-e", script, str(secrets_file), STRING], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"file": WANT, "string": WANT}
