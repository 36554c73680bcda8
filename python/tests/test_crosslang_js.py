"""Cross-language with the JavaScript package (js/, issue 12): Node opens
what Python seals and back. Runs when js/ is in the checkout (it builds
js/dist with npm when needed); without js/ there is nothing to test."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from conftest import REPO, SECRET_A, SECRET_B

from cookieseal import Codec

JS = pathlib.Path(os.environ.get("COOKIESEAL_JS_DIR") or REPO / "js")

pytestmark = pytest.mark.skipif(not (JS / "package.json").exists(), reason="no js/ package in this checkout")


@pytest.fixture(scope="module")
def js_index() -> pathlib.Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node is needed for the JavaScript cross-language tests")
        pytest.skip("no Node")
    index = JS / "dist" / "index.js"
    if not index.exists():
        assert npm, "npm is needed to build js/dist"
        if not (JS / "node_modules").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=600)
        subprocess.run([npm, "run", "build"], cwd=JS, check=True, timeout=600)
    return index


SCRIPT = """
import { Codec } from %s;
const [op, secrets, name, input] = process.argv.slice(1);
const codec = new Codec({ secrets: secrets.split(',') });
if (op === 'seal') {
  process.stdout.write(codec.seal(name, JSON.parse(input)));
} else {
  const { value, info } = codec.open(name, input);
  process.stdout.write(JSON.stringify({ value, keyId: info.keyId, issuedAt: Number(info.issuedAt) }));
}
"""


def node(index: pathlib.Path, *args: str) -> str:
    script = SCRIPT % json.dumps(index.as_uri())
    r = subprocess.run(["node", "--input-type=module", "-e", script, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


VALUES = [{"user_id": 42, "roles": ["admin"], "ratio": 0.5, "name": "héllo 😀"}, [1, "two", None, True]]


@pytest.mark.parametrize("value", VALUES)
def test_python_seals_javascript_opens(js_index: pathlib.Path, value: object) -> None:
    cookie = Codec([SECRET_A]).seal("session", value)
    out = json.loads(node(js_index, "open", SECRET_A, "session", cookie))
    assert out["value"] == value and out["keyId"] == Codec([SECRET_A]).key_ids[0]


@pytest.mark.parametrize("value", VALUES)
def test_javascript_seals_python_opens(js_index: pathlib.Path, value: object) -> None:
    cookie = node(js_index, "seal", f"{SECRET_B},{SECRET_A}", "session", json.dumps(value))
    opened, info = Codec([SECRET_A, SECRET_B]).open_info("session", cookie)
    assert opened == value and info.reissue and info.key_id == Codec([SECRET_B]).key_ids[0]
