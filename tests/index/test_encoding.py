"""Text files in any encoding are read as the text they hold; binary data is refused."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from index import ArticleReadError, load_article, load_articles
from index.formats.encoding import decode_text

HEADLINE = "Drought aid announced"
# Paragraphs the length of a short news article's: a guess needs some text to go on.
PARAGRAPHS = {
    "en": "The government announced on Wednesday a package of measures to support farmers "
    "hit by the drought. According to the agriculture minister, about 12,000 farms will be "
    "able to receive emergency aid by the end of the month. “We will leave nobody behind,” "
    "he told a news conference in London – adding that the £40m fund was “only a start”.",
    "fr": "Le gouvernement a annoncé mercredi une série de mesures destinées à soutenir les "
    "agriculteurs touchés par la sécheresse. Selon le ministre de l'Agriculture, près de "
    "12 000 exploitations pourront bénéficier d'une aide d'urgence dès la fin du mois. "
    "« Nous ne laisserons personne de côté », a-t-il déclaré lors d'une conférence de "
    "presse à Paris. Les syndicats agricoles ont salué ces annonces, tout en estimant "
    "qu'elles arrivaient trop tard pour certaines régions du Sud-Ouest.",
    "de": "Die Bundesregierung hat am Mittwoch ein Maßnahmenpaket zur Unterstützung der von "
    "der Dürre betroffenen Landwirte beschlossen. Nach Angaben des Landwirtschaftsministers "
    "können rund 12.000 Betriebe bereits Ende des Monats eine Soforthilfe erhalten. „Wir "
    "lassen niemanden zurück“, sagte er auf einer Pressekonferenz in Berlin. Die "
    "Bauernverbände begrüßten die Ankündigung, kritisierten jedoch, dass sie für einige "
    "Regionen in Süddeutschland zu spät komme.",
    "es": "El Gobierno anunció el miércoles una serie de medidas para apoyar a los "
    "agricultores afectados por la sequía. Según el ministro de Agricultura, cerca de 12.000 "
    "explotaciones podrán recibir una ayuda urgente a finales de mes. «No vamos a dejar a "
    "nadie atrás», declaró en una rueda de prensa en Madrid. Los sindicatos agrarios "
    "celebraron el anuncio, aunque consideraron que llega demasiado tarde para Andalucía.",
    "pl": "Rząd ogłosił w środę pakiet działań mających wesprzeć rolników dotkniętych suszą. "
    "Według ministra rolnictwa około 12 tysięcy gospodarstw będzie mogło otrzymać pomoc "
    "doraźną już pod koniec miesiąca. „Nikogo nie zostawimy bez pomocy” – powiedział na "
    "konferencji prasowej w Warszawie. Związki rolników z zadowoleniem przyjęły zapowiedź, "
    "ale uznały, że dla niektórych regionów przychodzi ona za późno.",
    "cs": "Vláda ve středu oznámila balíček opatření na podporu zemědělců zasažených suchem. "
    "Podle ministra zemědělství bude moci zhruba 12 tisíc podniků získat mimořádnou pomoc "
    "již koncem měsíce. „Nikoho nenecháme na holičkách,“ řekl na tiskové konferenci v Praze. "
    "Zemědělské svazy oznámení uvítaly, ale podle nich přichází pro některé regiony na jihu "
    "Moravy pozdě, protože úroda kukuřice už je ztracena.",
    "tr": "Hükümet çarşamba günü kuraklıktan etkilenen çiftçileri desteklemek için bir dizi "
    "önlem açıkladı. Tarım bakanına göre yaklaşık 12 bin işletme ay sonunda acil yardım "
    "alabilecek. Bakan, Ankara'daki basın toplantısında “Kimseyi geride bırakmayacağız” "
    "dedi. Çiftçi sendikaları açıklamayı memnuniyetle karşıladı, ancak mısır hasadının "
    "zaten kaybedildiği güney bölgeleri için yardımın çok geç geldiğini belirtti.",
    "ru": "Правительство в среду объявило о пакете мер поддержки фермеров, пострадавших от "
    "засухи. По словам министра сельского хозяйства, около 12 тысяч хозяйств смогут "
    'получить срочную помощь уже в конце месяца. "Мы никого не оставим без помощи", - '
    "заявил он на пресс-конференции в Москве.",
    "el": "Η κυβέρνηση ανακοίνωσε την Τετάρτη δέσμη μέτρων για τη στήριξη των αγροτών που "
    "επλήγησαν από την ξηρασία. Σύμφωνα με τον υπουργό Γεωργίας, περίπου 12.000 "
    "εκμεταλλεύσεις θα μπορούν να λάβουν έκτακτη βοήθεια έως το τέλος του μήνα. «Δεν θα "
    "αφήσουμε κανέναν πίσω», δήλωσε σε συνέντευξη Τύπου στην Αθήνα.",
    "he": "הממשלה הודיעה ביום רביעי על חבילת צעדים לתמיכה בחקלאים שנפגעו מהבצורת. לדברי שר "
    'החקלאות, כ־12 אלף משקים יוכלו לקבל סיוע דחוף כבר בסוף החודש. "לא נשאיר אף אחד '
    'מאחור", אמר במסיבת עיתונאים בירושלים.',
    "ja": "外務大臣は水曜日に交渉が続くと述べた。東京の天気は晴れです。",
    "zh": "外交部长表示，谈判将于星期三继续。北京天气晴朗。",
}
FILES = [
    # (language, encoding): every encoding family the guess is claimed to read
    ("en", "utf-8"),
    ("en", "utf-8-sig"),
    ("en", "utf-16"),
    ("en", "utf-32"),
    ("de", "utf-16-le"),  # no byte-order mark
    ("en", "cp1252"),
    ("fr", "cp1252"),
    ("de", "cp1252"),
    ("fr", "latin-1"),
    ("es", "cp1252"),
    ("cs", "cp1250"),
    ("pl", "cp1250"),
    ("tr", "cp1254"),
    ("ru", "cp1251"),
    ("ru", "koi8-r"),
    ("el", "cp1253"),
    ("he", "cp1255"),
    ("ja", "shift_jis"),
    ("zh", "gb18030"),
]


@pytest.mark.parametrize(
    ("language", "encoding"), FILES, ids=[f"{lang}-{enc}" for lang, enc in FILES]
)
def test_a_text_file_is_read_whatever_its_encoding(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str, encoding: str
) -> None:
    text = f"{HEADLINE}\n\n{PARAGRAPHS[language]}\n"
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.WARNING, logger="index.formats.encoding"):
        article = load_article(path)
    assert article.text == text
    assert article.title == HEADLINE
    # A guess is logged with the encoding it chose; a stated or UTF-8 encoding is not.
    warned = [r.getMessage() for r in caplog.records]
    if encoding.startswith("utf") and encoding != "utf-16-le":
        assert warned == []
    else:
        assert len(warned) == 1 and f"{path}: not UTF-8; read as " in warned[0]


def test_the_same_article_in_two_encodings_is_one_article(tmp_path: Path) -> None:
    """The hash covers the decoded text, so a re-saved copy is still a copy."""
    text = f"{HEADLINE}\n\n{PARAGRAPHS['fr']}\n"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(text.encode("cp1252"))
    assert (
        load_article(tmp_path / "a.txt").content_hash
        == load_article(tmp_path / "b.txt").content_hash
    )


def test_stray_windows_1252_bytes_in_utf8_text_are_read_as_windows_1252(
    tmp_path: Path,
) -> None:
    """Curly quotes pasted from an old editor into a UTF-8 file: the UTF-8 stays UTF-8."""
    raw = "Le café à Noël — déjà vu.\n".encode() + b"He said \x93hello\x94.\n"
    assert decode_text(tmp_path / "x.txt", raw) == "Le café à Noël — déjà vu.\nHe said “hello”.\n"


def test_json_records_in_a_legacy_encoding_are_read(tmp_path: Path) -> None:
    record = {"title": "Sécheresse : l'aide arrive", "body": PARAGRAPHS["fr"], "url": "https://x/1"}
    export = tmp_path / "export.json"
    export.write_bytes(json.dumps([record], ensure_ascii=False).encode("cp1252"))
    lines = tmp_path / "export.jsonl"
    lines.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-16"))
    for path in (export, lines):
        (article,) = load_articles(path).articles
        assert (article.title, article.text) == (record["title"], record["body"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
        (os.urandom(4096), "binary data"),
        (b"\x00" * 64, "binary data"),
        ("Headline\n\nBody text.\n".encode("utf-16")[:-1], "nor the UTF-16 its byte-order"),
        (b"\xff\xfe\x00 not text", "what follows is not UTF-16"),  # a stray mark
    ],
    ids=["png", "random", "zeros", "cut-utf16", "stray-mark"],
)
def test_binary_data_and_broken_text_are_refused_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleReadError) as caught:
        load_article(path)
    assert reason in caught.value.reason
