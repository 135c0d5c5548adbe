"""QTI 1.2 (the dialect Canvas imports) in a zip with its imsmanifest.xml.

A randomized question becomes a section selecting 1 item: a Canvas question group.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from grader.quiz.draw import fmt
from grader.quiz.export.items import Item, Variant
from grader.quiz.models import Lang, Quiz

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
         "numeric": "numerical_question"}


def _mat(parent: ET.Element, text: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", texttype="text/plain").text = text


def _meta(item: ET.Element, fields: dict[str, str]) -> None:
    qti = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(qti, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _condition(item: Item, v: Variant, keys: list[str]) -> ET.Element:
    cond = ET.Element("conditionvar")
    if v.value is not None:
        either = ET.SubElement(cond, "or")
        ET.SubElement(either, "varequal", respident="response1").text = fmt(v.value)
        both = ET.SubElement(either, "and")
        ET.SubElement(both, "vargte", respident="response1").text = fmt(v.value - v.tolerance)
        ET.SubElement(both, "varlte", respident="response1").text = fmt(v.value + v.tolerance)
        return cond
    parent = ET.SubElement(cond, "and") if item.question.kind == "multiple" else cond
    for k, (_, ok) in zip(keys, v.choices, strict=True):
        if ok:
            ET.SubElement(parent, "varequal", respident="response1").text = k
        elif item.question.kind == "multiple":
            ET.SubElement(ET.SubElement(parent, "not"), "varequal", respident="response1").text = k
    return cond


def _item(parent: ET.Element, item: Item, v: Variant, ident: str) -> None:
    q = item.question
    el = ET.SubElement(parent, "item", ident=ident, title=v.name)
    _meta(el, {"question_type": TYPES[q.kind], "points_possible": fmt(q.points)})
    pres = ET.SubElement(el, "presentation")
    _mat(pres, v.text)
    if v.value is not None:
        resp = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(ET.SubElement(resp, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    else:
        card = "Single" if q.kind == "single" else "Multiple"
        resp = ET.SubElement(pres, "response_lid", ident="response1", rcardinality=card)
        render = ET.SubElement(resp, "render_choice")
        for k, (text, _) in zip(q.keys, v.choices, strict=True):
            _mat(ET.SubElement(render, "response_label", ident=k), text)
    proc = ET.SubElement(el, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0",
                  varname="SCORE", vartype="Decimal")
    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
    cond.append(_condition(item, v, q.keys))
    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    feedback = ET.SubElement(ET.SubElement(el, "itemfeedback", ident="general_fb"), "flow_mat")
    _mat(feedback, v.feedback)


def assessment(quiz: Quiz, items: list[Item], lang: Lang) -> bytes:
    """The QTI assessment: each randomized question is a section selecting one variant."""
    root = ET.Element("questestinterop", xmlns=QTI_NS)
    test = ET.SubElement(root, "assessment", ident=f"dlgrade-{quiz.id}", title=quiz.title(lang))
    section = ET.SubElement(test, "section", ident="root_section")
    for n, item in enumerate(items, 1):
        if not item.grouped:
            _item(section, item, item.variants[0], f"{quiz.id}-{n}")
            continue
        group = ET.SubElement(section, "section", ident=f"{quiz.id}-{n}-group", title=item.question.id)
        sel = ET.SubElement(ET.SubElement(group, "selection_ordering"), "selection")
        ET.SubElement(sel, "selection_number").text = "1"
        ext = ET.SubElement(sel, "selection_extension")
        ET.SubElement(ext, "points_per_item").text = fmt(item.question.points)
        for i, v in enumerate(item.variants, 1):
            _item(group, item, v, f"{quiz.id}-{n}-v{i}")
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def manifest(quiz: Quiz, href: str) -> bytes:
    """The imsmanifest.xml of the package, pointing at the assessment at ``href``."""
    root = ET.Element("manifest", identifier=f"dlgrade-{quiz.id}-manifest", xmlns=CP_NS)
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "IMS Content"
    ET.SubElement(meta, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    res = ET.SubElement(ET.SubElement(root, "resources"), "resource",
                        identifier=f"dlgrade-{quiz.id}", type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=href)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def write_qti(quiz: Quiz, items: list[Item], lang: Lang, out: Path) -> None:
    """Write the QTI package (manifest and assessment) as the zip ``out``."""
    href = f"{quiz.id}/{quiz.id}.xml"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest(quiz, href))
        zf.writestr(href, assessment(quiz, items, lang))
