from pathlib import Path

import pytest

from index import ModelFileError, verify_sha256
from index.integrity import sha256_of


def test_matching_file_passes_and_leaves_a_stamp(tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(b"weights")
    verify_sha256(model, sha256_of(model), stamp_dir=tmp_path / "stamps")
    assert (tmp_path / "stamps" / "model.bin.sha256.json").exists()


def test_altered_file_is_a_clear_error_even_after_a_stamp(tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(b"weights")
    expected = sha256_of(model)
    verify_sha256(model, expected, stamp_dir=tmp_path)
    model.write_bytes(b"tampered weights")
    with pytest.raises(ModelFileError, match="expected"):
        verify_sha256(model, expected, stamp_dir=tmp_path)


def test_missing_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="reinstall"):
        verify_sha256(tmp_path / "absent.bin", "0" * 64, stamp_dir=tmp_path)
