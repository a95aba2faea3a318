#!/usr/bin/env python3
"""Writes the layout-B and layout-C fixture letters (fixtures/layout-b, fixtures/layout-c).

The clinical text is invented for imrlint's tests. Each letter gets its own extraction
noise (CRLF, form feeds, page footers, running headers, hyphenation, smart quotes, NBSP,
leading blank lines, a cover page, double spacing). The expected items (request, decision,
sources, rationale start) written here by hand go into NAME.expected.yaml beside the letter,
after the findings, which are filled in by hand after review (see FINDINGS below).
Run from the repository root: python3 scripts/make_fixtures.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures_refs import *  # noqa: F401,F403,E402


WIDTH = 88


def wrap(text, hyphenate):
    out, line = [], ""
    for word in text.split(" "):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= WIDTH:
            line += " " + word
        else:
            room = WIDTH - len(line) - 2
            if hyphenate and word.isalpha() and word.islower() and len(word) >= 7 and room >= 3:
                out.append(line + " " + word[:room] + "-")
                line = word[room:]
            else:
                out.append(line)
                line = word
    if line:
        out.append(line)
    return out


def paginate(lines, noise, running):
    """Inserts page breaks every 20 lines: a footer, a form feed, a running header."""
    pages = [lines[i:i + 20] for i in range(0, len(lines), 20)]
    out = []
    for n, page in enumerate(pages, 1):
        if "running" in noise and (n > 1 or not running.startswith("MAXIMUS")):
            out.append(running)
            out.append("")
        out.extend(page)
        if "footer" in noise:
            out.append("")
            out.append(f"Page {n} of {len(pages)}")
        elif "casefooter" in noise:
            out.append("")
            out.append(f"IMR Case Number {noise_case[0]}    Page {n} of {len(pages)}")
        if n < len(pages):
            out.append("\x0c" if "ff" in noise else "")
    return out


noise_case = [""]


def render(blocks, noise, running):
    """blocks: list of ("p", text) paragraphs or ("l", text) verbatim lines."""
    lines = []
    for kind, text in blocks:
        if kind == "l":
            lines.append(text)
        else:
            lines.extend(wrap(text, "hyphen" in noise))
        if "double" in noise:
            lines.append("")
    if "double" not in noise:
        pass
    lines = paginate(lines, noise, running)
    text = "\n".join(l + (" " if "trailing" in noise and l else "") for l in lines) + "\n"
    text = text.replace("\n\x0c\n", "\n\x0c")
    if "smart" in noise:
        text = smarten(text)
    if "nbsp" in noise:
        text = text.replace("lumbar spine", "lumbar\u00a0spine").replace(": ", ":\u00a0", 3)
    if "lead" in noise:
        text = "\n\n   \n\n" + text
    if "crlf" in noise:
        text = text.replace("\n", "\r\n")
    if "cr" in noise:
        text = text.replace("\n", "\r")
    return text


def smarten(text):
    out, open_q = [], True
    for i, c in enumerate(text):
        if c == "'":
            out.append("\u2019")
        elif c == '"':
            out.append("\u201c" if open_q else "\u201d")
            open_q = not open_q
        elif c == "-" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            out.append("\u2013")
        else:
            out.append(c)
    return "".join(out)


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(dirname, name, text, case, findings):
    os.makedirs(dirname, exist_ok=True)
    with open(os.path.join(dirname, name + ".txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    with open(os.path.join(dirname, name + ".expected.yaml"), "w", encoding="utf-8") as f:
        f.write(f"# {case['about']}\n# noise: {', '.join(sorted(case['noise']))}\n")
        f.write("findings:\n" if findings else "findings: []\n")
        for fd in findings:
            item = f"item: {fd[0]}, " if fd[0] else ""
            f.write(f"  - {{{item}kind: {fd[1]}, rule: {fd[2]}}}\n")
        f.write("items:\n")
        for it in case["items"]:
            f.write(f"  - request: {yaml_str(it['request'])}\n")
            f.write(f"    decision: {it['decision']}\n")
            f.write(f"    claims: [{', '.join(it.get('claims_src', []))}]\n")
            f.write(f"    reviewer: [{', '.join(it['reviewer_src'])}]\n")
            f.write(f"    rationale_starts: {yaml_str(it['rationale'][:40])}\n")


# ---------------------------------------------------------------- layout B

B_HOW = ("MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no "
         "affiliation with the employer, employee, providers or the claims administrator. The expert "
         "reviewer was selected based on his/her clinical experience, education, background, and expertise "
         "in the same or similar specialties that evaluate and/or treat the medical condition and disputed items/service.")


def layout_b(case):
    noise = case["noise"]
    noise_case[0] = case["case_no"]
    numbering = case.get("numbering", "{n}.")
    blocks = [("l", "MAXIMUS FEDERAL SERVICES, INC."), ("l", "Independent Medical Review"),
              ("l", "P.O. Box 138009"), ("l", "Sacramento, CA 95813-8009"),
              ("l", "Notice of Independent Medical Review Determination"),
              ("l", f"Dated: {case['decided']}"),
              ("l", f"IMR Case Number: {case['case_no']}"),
              ("l", f"Date of Injury: {case['doi']}"),
              ("l", f"UR Denial Date: {case['ur']}"),
              ("l", "Priority: Standard"),
              ("l", f"Application Received: {case['received']}"),
              ("l", "Treatment(s) in Dispute: " + "; ".join(i["request"] for i in case["items"])),
              ("p", "Final Determination: " + case["final"]),
              ("p", "This is the final determination of the Department of Industrial Relations, Division of "
                    "Workers' Compensation, on the disputed items listed above.")]
    if "cover" in noise:
        blocks.append(("l", "\x0c" if "ff" in noise else ""))
    blocks += [("l", "HOW THE IMR FINAL DETERMINATION WAS MADE"), ("p", B_HOW),
               ("l", "The Expert Reviewer has the following credentials:"),
               ("l", "State(s) of Licensure: California"),
               ("l", "Certification(s)/Specialty: " + case["specialty"]),
               ("l", "DOCUMENTS REVIEWED")]
    blocks += [("l", "- " + d) for d in case["documents"]]
    blocks += [("l", "CLINICAL CASE SUMMARY"),
               ("p", "The expert reviewer developed the following clinical case summary based on a review of "
                     "the case file, including all medical records:"),
               ("p", case["summary"])]
    if case.get("split_heading"):
        blocks += [("l", "IMR DECISION(S) AND"), ("l", "RATIONALE(S)")]
    else:
        blocks += [("l", "IMR DECISION(S) AND RATIONALE(S)")]
    blocks += [("p", "The Final Determination is based on the decisions for the disputed items/services set forth below:")]
    for n, it in enumerate(case["items"], 1):
        num = numbering.format(n=n)
        verdict = "is medically necessary and appropriate." if it["decision"] == "overturned" else \
            "is not medically necessary and appropriate."
        blocks += [("p", f"{num} {it['request']} {verdict}"),
                   ("p", "The Claims Administrator based its decision on " + it["claims"] + "."),
                   ("p", "The Expert Reviewer based his/her decision on " + it["reviewer"] + "."),
                   ("l", "Rationale for the Decision:"),
                   ("p", it["rationale"])]
    running = "MAXIMUS FEDERAL SERVICES, INC." if "letterhead" in case else f"IMR Case Number {case['case_no']}"
    return render(blocks, noise, running)


# ---------------------------------------------------------------- layout C

def layout_c(case):
    noise = case["noise"]
    noise_case[0] = case["case_no"]
    it = case["items"][0]
    blocks = []
    if "cover" in noise:
        blocks += [("l", "State of California"), ("l", "Division of Workers' Compensation"),
                   ("l", "Independent Medical Review"),
                   ("p", "Enclosed is the review completed by a medical professional for the dispute named below. "
                         "The determination is final unless appealed within 30 days."),
                   ("l", "\x0c" if "ff" in noise else "")]
    blocks += [("l", "MEDICAL PROFESSIONAL REVIEW"),
               ("l", f"IMR Case Number: {case['case_no']}"),
               ("l", f"Date of Injury: {case['doi']}   UR Denial Date: {case['ur']}"),
               ("l", f"Application Received: {case['received']}")]
    issue = case.get("issue_form", "{r}").format(r=it["request"])
    if case.get("issue_inline", True):
        blocks += [("l", "ISSUE AT DISPUTE: " + issue)]
    else:
        blocks += [("l", "ISSUE AT DISPUTE:"), ("l", issue)]
    det = case["determination"]
    if case.get("det_first"):
        blocks += [("p", "DETERMINATION: " + det)]
    blocks += [("l", "CASE SUMMARY:"), ("p", case["summary"]),
               ("l", "DOCUMENTS REVIEWED FOR DETERMINATION:")]
    blocks += [("l", d) for d in case["documents"]]
    if case.get("split_heading"):
        blocks += [("l", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY"),
                   ("l", "PROFESSIONAL REVIEWER AND WHY:")]
    else:
        blocks += [("l", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:")]
    blocks += [("p", it["reviewer"])]
    blocks += [("l", "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE"),
               ("l", "IS/WAS NOT MEDICALLY NECESSARY:"), ("p", it["rationale"])]
    if not case.get("det_first"):
        blocks += [("p", "DETERMINATION: " + det)]
    blocks += [("l", "MEDICAL REVIEWER QUALIFICATIONS:"), ("p", case["qualifications"])]
    return render(blocks, noise, f"Medical Professional Review - {case['case_no']}")


from fixture_cases import B_CASES, C_CASES, FINDINGS  # noqa: E402

for c in B_CASES:
    write("fixtures/layout-b", c["name"], layout_b(c), c, FINDINGS.get(c["name"], []))
for c in C_CASES:
    write("fixtures/layout-c", c["name"], layout_c(c), c, FINDINGS.get(c["name"], []))
