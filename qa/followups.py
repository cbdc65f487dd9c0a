"""Follow-up questions made standalone: the words that lean on the last turn are filled in.

    standalone("How many abductees came back then?",
               [Exchange("When did Koizumi visit Pyongyang?", "2002")])
    # -> "How many abductees came back in 2002?"

A follow-up names what it is about by pointing back: a pronoun ("what did she say?"),
"then" or "there", or an ellipsis ("and in 2019?", "what about Hayashi?"). Each pointer
is replaced by what it stands for in the previous exchange: the previous answer when it
is the kind of thing pointed at (a name for "she" after "who ...?", a date for "then"),
else the name or date in the previous question; when the last exchange has none, the
one before it (up to ``LOOKBACK`` exchanges back). The rest of the follow-up is kept word
for word, so retrieval and the evidence score weigh the follow-up's own words and not
the previous question's (joining the two questions let the old question's evidence win).
Only a follow-up with no topic of its own ("why?", "where was that summit held?") is
given the previous question's names as context.

By default the rewrite is rules, not a model: the bundled LLM is too small to rewrite
reliably, and rules are deterministic and cheap. With a capable LLM configured
(``follow_ups = "llm"``), ``condensed`` asks it instead, with llama-index's
condense-question prompt; its question is kept only when every content word in it comes
from the conversation or the follow-up (a model cannot slip in a topic nobody asked
about), and when it no longer points back and is no earlier question repeated. Either
way the answer still has to pass the reader's confidence and the citation check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer import REFUSAL
from qa.answer.citations import strip_markers
from qa.answer.referents import wants_a_name
from qa.errors import QAError
from qa.llm import LLMBackend
from qa.text import content_terms, stop_words

__all__ = ["Exchange", "condensed", "is_follow_up", "standalone"]

LOOKBACK = 3
_CONNECTIVE = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|well)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:what|how)\s+about\s+", re.I)
_WH_WORDS = frozenset(
    {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
    | {"is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can"}
    | {"could", "will", "would", "should", "may", "might", "must", "shall"}
)
_BE_OR_AUX = frozenset(
    {"is", "are", "was", "were", "be", "been", "will", "would", "has", "have", "had"}
    | {"may", "might", "could", "should", "can", "must", "'s"}
)
_PERSON = frozenset({"he", "she", "him"})
_GROUP = frozenset({"they", "them"})
_POSSESSIVE = frozenset({"his", "their", "its"})
_PREPOSITIONS = frozenset(
    {"in", "on", "at", "since", "until", "till", "by", "before", "after", "from", "to"}
    | {"of", "about", "for", "with", "during", "than", "between", "among", "against"}
)
# Words after "her" that show it is an object ("told her about"), not a possessive.
_AFTER_OBJECT = _PREPOSITIONS | {"and", "or", "that", "if", "when", "as", "so"}
_DEMONSTRATIVE = frozenset({"this", "that", "these", "those"})
_TIME_NOUNS = frozenset({"week", "weekend", "month", "year", "morning", "evening", "time"})

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)s?"
_DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAY},?\s+)?{_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+{_YEAR})?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+{_YEAR})?|{_YEAR}|{_WEEKDAY})\b"
)
# A capitalised run of words (with "of"/"the" inside it), or an acronym: a name.
_NAME = re.compile(
    r"\b(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s+(?:(?:of|the|de|von|van|al|bin)\s+)*"
    r"(?:[A-Z][\w'’.-]*|\d+))*"
)
# "Japanese prime minister", "Korean leader": an adjective, not a name.
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ese|ean|ian|ish|ican)$")
# "Who did Kim Jong Un speak to?": "who" is the object, the name after the verb the subject.
_OBJECT_QUESTION = re.compile(
    r"^\s*(?:who|whom|which\s+[\w' ]{1,40}?|what\s+[\w' ]{1,40}?)\s+"
    r"(?:did|does|do|has|have|had|will|would|can|could)\s+(?P<subject>.+)$",
    re.I,
)
_PLACE_QUESTION = re.compile(
    r"^\s*(?:where|(?:in\s+)?(?:which|what)\s+(?:city|country|town|village|place|capital|"
    r"region|province|state|county|district|port|venue)\b)",
    re.I,
)
_SPEECH_VERBS = frozenset({"say", "said", "tell", "told", "mention", "mentioned", "announce"})
_POSSESSIVE_END = re.compile(r"['’]s?$")
_AS_OF = re.compile(r"\s*\(as of [^)]*\)", re.I)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")


@dataclass(frozen=True)
class Exchange:
    """One earlier turn: the question as asked standalone, and the answer text shown."""

    question: str
    answer: str = ""

    @property
    def short_answer(self) -> str:
        """The answer without markers or "as of", empty for a refusal or a long answer."""
        if not self.answer or self.answer.startswith(REFUSAL):
            return ""
        text = _AS_OF.sub("", strip_markers(self.answer)).strip().rstrip(".")
        return text if len(text.split()) <= 12 else ""


def _names(text: str) -> list[str]:
    """Names in ``text`` in order: capitalised runs, minus a question's opening word."""
    found = []
    for match in _NAME.finditer(text):
        name = _POSSESSIVE_END.sub("", match.group()).strip(" .")
        first, _, rest = name.partition(" ")
        opens = match.start() == 0 or text[: match.start()].rstrip().endswith(("?", ".", "!"))
        if opens and first.lower() in _WH_WORDS | _DEMONSTRATIVE | stop_words():
            name = rest  # "Did Japan ..." -> "Japan"; "Who ..." and "In ..." -> nothing
        adjective = _NATIONALITY.search(name) and re.match(r"\s+[a-z]", text[match.end() :])
        if name and not adjective and not _DATE.fullmatch(name) and name.lower() not in _WH_WORDS:
            found.append(name)
    return found


def _dates(text: str) -> list[str]:
    return [m.group() for m in _DATE.finditer(text)]


def _looks_like_name(text: str) -> bool:
    """Capitalised words only, bar "of"/"the" inside: "Ri Ryong Nam", not "North Korean leader"."""
    tokens = text.split()
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    joiners = {"of", "the", "de", "von", "van", "bin", "al", "and"}
    capitalised = [t[:1].isupper() for t in tokens]
    return (
        0 < len(tokens) <= 6
        and any(capitalised)
        and all(c or t in joiners for c, t in zip(capitalised, tokens, strict=True))
    )


def _is_date(text: str) -> bool:
    found = _DATE.search(text)
    return found is not None and len(found.group()) >= 0.6 * len(text.strip())


def _asks(question: str, *wh: str) -> bool:
    first = question.strip().split(" ", 1)[0].lower()
    return first in wh


@dataclass(frozen=True)
class _Referents:
    """What the previous exchange offers a pointer: a person, a thing, a date, a place."""

    person: str
    thing: str
    date: str
    place: str
    names: tuple[str, ...]
    group: str = ""
    claim: str = ""

    @classmethod
    def of(cls, previous: Exchange) -> _Referents:
        question, answer = previous.question, previous.short_answer
        names = _names(question)
        answer_is_name = bool(answer) and _looks_like_name(answer) and not _is_date(answer)
        object_question = _OBJECT_QUESTION.match(question)
        subject_part = object_question.group("subject") if object_question else ""
        subject = next(iter(_names(subject_part)), "")
        if subject:
            # "Who did Kim Jong Un speak to?" -> "he" is Kim Jong Un; "they" both of them.
            person = subject
        elif answer_is_name and wants_a_name(question):
            # The name a "who ...?" asked for; after "who is Kim Yo Jong?", still her.
            person = answer
        else:
            person = names[0] if names else (answer if answer_is_name else "")
        group = f"{subject} and {answer}" if subject and answer_is_name else ""
        # After "who is X?", X is a person: "it" and "they" point at something else.
        things = [n for n in names if n != person] if _asks(question, "who") else names
        thing = things[0] if things else ("" if names else (answer if answer_is_name else ""))
        dates = _dates(question)
        date = answer if answer and _is_date(answer) else (dates[0] if dates else "")
        place = (
            answer
            if answer_is_name and _PLACE_QUESTION.match(question)
            else next(iter(_place_names(question)), "")
        )
        claim = answer if answer and not answer_is_name and not _is_date(answer) else ""
        return cls(person, thing, date, place, tuple(names), group, claim)

    def or_else(self, earlier: _Referents) -> _Referents:
        """These referents, with what they lack taken from an ``earlier`` exchange's."""
        return _Referents(
            self.person or earlier.person,
            self.thing or earlier.thing,
            self.date or earlier.date,
            self.place or earlier.place,
            self.names or earlier.names,
            self.group,
            self.claim,
        )


def _place_names(question: str) -> list[str]:
    """Names after "in", "to", "at", "from" or "visit": the likeliest places."""
    places = []
    for match in _NAME.finditer(question):
        before = question[: match.start()].split()[-1:]
        if before and before[0].lower() in {"in", "to", "at", "from", "visit", "visited"}:
            places.append(_POSSESSIVE_END.sub("", match.group()).strip(" ."))
    return places


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _date_phrase(date: str, before: str) -> str:
    """ "2002" -> "in 2002"; "Tuesday" -> "on Tuesday"; nothing added after a preposition."""
    if before in _PREPOSITIONS:
        return date
    day = re.search(rf"{_WEEKDAY}|\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}\b", date)
    return f"{'on' if day else 'in'} {date}"


def _resolve_pointers(question: str, referents: _Referents) -> tuple[str, bool]:
    """``question`` with its pronouns, "then" and "there" replaced; and whether any were."""
    matches = list(_TOKEN.finditer(question))
    tokens = [m.group() for m in matches]
    out: list[str] = []
    replaced = False
    for i, token in enumerate(tokens):
        low = token.lower()
        before = tokens[i - 1].lower() if i else ""
        after = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        replacement = None
        if low in _PERSON and referents.person:
            replacement = referents.person
        elif low == "her" and referents.person:
            possessive = after.isalpha() and after not in _AFTER_OBJECT
            replacement = f"{referents.person}'s" if possessive else referents.person
        elif low in _GROUP and (referents.group or referents.thing):
            replacement = referents.group or referents.thing
        elif low in _POSSESSIVE:
            owner = referents.person if low == "his" else referents.thing
            replacement = f"{owner}'s" if owner else None
        elif (
            low in {"that", "so"}
            and referents.claim
            and before in _SPEECH_VERBS | {"say", "says"}
            and after in {"", "?", ".", "!"}
        ):
            # "Who said that?", "Why did she say so?": what the last answer quoted.
            replacement = f'"{referents.claim}"'
        elif (
            low == "it"
            and referents.thing
            and before not in _BE_OR_AUX | _SPEECH_VERBS | {"?", "say", "says"}
        ):
            # "What did it say?" -> the thing; "is it true?", "say it" stay as they are.
            replacement = referents.thing
        elif low == "then" and i > 0 and referents.date:
            replacement = _date_phrase(referents.date, before)
        elif (
            low == "there"
            and referents.place
            and after not in _BE_OR_AUX
            and before not in _BE_OR_AUX
        ):
            replacement = referents.place if before in _PREPOSITIONS else f"in {referents.place}"
        if replacement:
            replaced = True
            out.append(replacement)
        else:
            out.append(token)
    # Put the words back where they stood, so the question keeps its own spacing.
    pieces, cursor = [], 0
    for match, word in zip(matches, out, strict=True):
        pieces += [question[cursor : match.start()], word]
        cursor = match.end()
    return "".join([*pieces, question[cursor:]]), replaced


def _fragment(question: str) -> str | None:
    """The new element of an ellipsis ("and in 2019?" -> "in 2019"), None for a question."""
    about = _WHAT_ABOUT.match(question)
    if about:
        return question[about.end() :].strip(" ?.!") or None
    had_connective = bool(_CONNECTIVE.match(question))
    rest = _CONNECTIVE.sub("", question).strip(" ?.!")
    words = rest.split()
    if not words or words[0].lower() in _WH_WORDS or len(words) > 12:
        return None
    verbs = _PERSON | _GROUP | {"it", "is", "are", "was", "were", "did", "does", "do", "has"}
    if any(w.lower() in verbs for w in words):
        return None
    return rest if had_connective or len(words) <= 2 else None


def _fill_ellipsis(fragment: str, previous: str) -> str:
    """The previous question with the fragment's element swapped in for its own kind.

    A date replaces the previous question's date, a name its first name; otherwise the
    fragment is added to the previous question.
    """
    previous = previous.strip().rstrip("?.! ")
    new_dates, old_dates = _dates(fragment), _dates(previous)
    if new_dates and old_dates and _is_date(fragment.removeprefix("in ").strip()):
        return previous.replace(old_dates[0], new_dates[0], 1) + "?"
    first = fragment.split()[0].lower()
    if first in _PREPOSITIONS:
        # "and between the US and North Korea?" replaces "between Japan and North Korea".
        old = list(re.finditer(rf"\b{first}\s+[^,;]+$", previous, re.I))
        if old:
            return previous[: old[-1].start()] + fragment + "?"
    subject = fragment.removeprefix("the ").strip()
    old_names = _names(previous)
    if old_names and _looks_like_name(subject):
        return previous.replace(old_names[0], fragment, 1) + "?"
    return f"{previous}, {fragment}?"


def _demonstrative(question: str) -> bool:
    """ "that summit", "who said that?": pointing back, not "that Japan ..." or "this week"."""
    tokens = _tokens(question)
    for i, token in enumerate(tokens):
        if token.lower() not in _DEMONSTRATIVE:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not after or after in "?.!,":
            return True
        if after.islower() and after not in stop_words() and after not in _TIME_NOUNS:
            return True
    return False


def _has_topic(question: str) -> bool:
    """A question names what it is about: a name, a date, or two content words."""
    return bool(_names(question) or _dates(question)) or len(content_terms(question)) >= 2


def _with_context(question: str, referents: _Referents, previous: str) -> str:
    """A question with no topic of its own, given the previous question's names.

    A question of one word or no content ("why?", "who replied?") only makes sense as a
    question about the previous one, so it is asked after it.
    """
    previous = previous.strip().rstrip("?.!") + "?"
    asked = question.strip().rstrip("?.!")
    if not asked or not referents.names or len(content_terms(asked)) <= 1:
        return f"{previous} {asked[:1].upper()}{asked[1:]}?" if asked else previous
    return f"{asked} ({', '.join(dict.fromkeys(referents.names))})?"


def is_follow_up(question: str) -> bool:
    """True when the question points back at an earlier turn or cannot stand alone."""
    tokens = [t.lower() for t in _tokens(question)]
    pointers = (_PERSON | _GROUP | _POSSESSIVE | {"her", "it", "then", "there"}) & set(tokens)
    return (
        bool(pointers)
        or bool(_CONNECTIVE.match(question) or _WHAT_ABOUT.match(question))
        or _demonstrative(question)
        or not _has_topic(question)
    )


def standalone(question: str, history: Sequence[Exchange]) -> str:
    """``question`` made standalone after the exchanges in ``history`` (oldest first)."""
    question = " ".join(question.split())
    if not history or not question or not is_follow_up(question):
        return question
    previous = history[-1]
    referents = _Referents.of(previous)
    for earlier in reversed(history[-LOOKBACK:-1]):
        referents = referents.or_else(_Referents.of(earlier))
    fragment = _fragment(question)
    if fragment is not None:
        return _fill_ellipsis(fragment, previous.question)
    body = _CONNECTIVE.sub("", question)
    body = body[:1].upper() + body[1:]
    resolved, replaced = _resolve_pointers(body, referents)
    if replaced or (_has_topic(resolved) and not _demonstrative(resolved)):
        return resolved
    return _with_context(resolved, referents, previous.question)


def condensed(question: str, history: Sequence[Exchange], llm: LLMBackend) -> str | None:
    """The LLM's standalone form of ``question``; None when it adds anything unsaid, still
    points back ("she", "then"), is no question, only repeats an earlier question, or
    the LLM fails.

    The prompt is llama-index's ``CondenseQuestionChatEngine`` template (imported here,
    not at start-up: llama-index's chat engines take a second to import).
    """
    from llama_index.core.chat_engine.condense_question import DEFAULT_TEMPLATE

    recent = history[-LOOKBACK:]
    chat = "\n".join(
        f"Human: {e.question}\nAssistant: {strip_markers(e.answer)}" for e in recent
    )
    try:
        reply = llm.complete(DEFAULT_TEMPLATE.format(chat_history=chat, question=question))
    except QAError:
        return None  # the LLM failed; the rules' rewrite stands
    candidate = " ".join(reply.strip().strip('"').split())
    said = " ".join([question, *(f"{e.question} {e.answer}" for e in recent)])
    unsaid = set(content_terms(candidate)) - set(content_terms(said))
    repeated = candidate.rstrip("?. ").lower() in {
        e.question.rstrip("?. ").lower() for e in recent
    }
    asks = candidate.endswith("?")
    if not asks or unsaid or repeated or len(candidate.split()) > 40:
        return None
    return None if is_follow_up(candidate) else candidate
