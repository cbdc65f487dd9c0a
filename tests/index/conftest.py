"""The format corpus: one small file of every supported format, plus a PDF made here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fpdf import FPDF

from tests.conftest import REPO

FORMATS = REPO / "tests" / "fixtures" / "formats"
PDF_TITLE = "Glacier retreat doubles in the Vesna range"
PDF_BODY = (
    "Scientists at the Vesna Alpine Institute said on Thursday that the Korvald glacier "
    "lost 42 metres of length last year, twice the average of the previous decade.",
    "Meltwater from the glacier feeds the reservoir that supplies the town of Orsk.",
)


def write_pdf(path: Path, *, title: str | None, lines: tuple[str, ...], author: str = "") -> Path:
    """A text PDF written with fpdf2; ``title`` goes into the document metadata."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line)
        pdf.ln(4)
    pdf.output(str(path))
    return path


@pytest.fixture
def formats_corpus(tmp_path: Path) -> Path:
    """A private copy of the format fixtures with a generated PDF, which tests may edit."""
    corpus = tmp_path / "corpus"
    shutil.copytree(FORMATS, corpus)
    write_pdf(
        corpus / "glacier-report.pdf",
        title=PDF_TITLE,
        lines=(PDF_TITLE, *PDF_BODY),
        author="Ana Petrov; Ivo Maric",
    )
    return corpus
