"""Moodle XML.

One category per quiz, and one sub-category per randomized question holding its
variants (add a "random question" from it in Moodle).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.quiz.draw import fmt
from grader.quiz.export.items import Item, Variant, fractions
from grader.quiz.models import Lang, Quiz


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    ET.SubElement(el, "text").text = value
    return el


def _category(root: ET.Element, path: str) -> None:
    q = ET.SubElement(root, "question", type="category")
    _text(q, "category", path)


def _question(root: ET.Element, item: Item, v: Variant) -> None:
    kind = "numerical" if v.value is not None else "multichoice"
    q = ET.SubElement(root, "question", type=kind)
    _text(q, "name", v.name)
    _text(q, "questiontext", v.text, format="plain_text")
    _text(q, "generalfeedback", v.feedback, format="plain_text")
    ET.SubElement(q, "defaultgrade").text = fmt(item.question.points)
    if v.value is not None:
        answer = _text(q, "answer", fmt(v.value), fraction="100")
        ET.SubElement(answer, "tolerance").text = fmt(v.tolerance)
        return
    ET.SubElement(q, "single").text = "true" if item.question.kind == "single" else "false"
    ET.SubElement(q, "shuffleanswers").text = "true"
    ET.SubElement(q, "answernumbering").text = "abc"
    for (text, _), frac in zip(v.choices, fractions(v.choices), strict=True):
        _text(q, "answer", text, fraction=fmt(frac), format="plain_text")


def moodle_xml(quiz: Quiz, items: list[Item], lang: Lang) -> bytes:
    """The quiz as Moodle XML."""
    root = ET.Element("quiz")
    base = f"$course$/top/dlgrade/{quiz.id}"
    _category(root, base)
    for item in (i for i in items if not i.grouped):
        _question(root, item, item.variants[0])
    for item in (i for i in items if i.grouped):
        _category(root, f"{base}/{item.question.id}")
        for v in item.variants:
            _question(root, item, v)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
