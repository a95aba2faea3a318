//! Values shared by every layout: dates, header key/value blocks, patient facts.

use super::items::sub_field;
use super::model::{DateValue, Field, Header, Patient, Reviewer, Sex, Value};
use super::text::{Joined, Line};
use crate::re::Regex;
use std::sync::OnceLock;

/// The first US-style date in `hay`: the regex `\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b`
/// (whole match and the three groups), read by hand: dates are looked for in every header
/// value and summary.
fn first_date(hay: &str) -> Option<[std::ops::Range<usize>; 4]> {
    let b = hay.as_bytes();
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    let digits_at =
        |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    // `\d{1,2}` then `sep`, greedy first: the end of the digits.
    let part = |i: usize| {
        [2, 1]
            .into_iter()
            .find(|&n| digits_at(i, n) && b.get(i + n) == Some(&b'/'))
    };
    let mut from = 0;
    while let Some(k) = hay[from..].find('/') {
        let slash = from + k;
        from = slash + 1;
        // A match whose first slash is this one starts one or two digits before it.
        for n in [2, 1] {
            let Some(s) = slash.checked_sub(n) else {
                continue;
            };
            if !digits_at(s, n) || (s > 0 && word(s - 1)) {
                continue;
            }
            let Some(dn) = part(slash + 1) else { continue };
            let y = slash + 1 + dn + 1;
            let Some(yn) = [4, 2]
                .into_iter()
                .find(|&yn| digits_at(y, yn) && !word(y + yn))
            else {
                continue;
            };
            return Some([s..y + yn, s..slash, slash + 1..slash + 1 + dn, y..y + yn]);
        }
    }
    None
}

/// Reads the first US-style date (MM/DD/YYYY or MM/DD/YY) in `field_text[start..]`.
pub fn find_date(f: &Field, start: usize) -> Option<DateValue> {
    let hay = f.text.get(start..)?;
    let [m, month, day, year] = first_date(hay)?;
    let iso = iso_date(&hay[month], &hay[day], &hay[year])?;
    Some(DateValue {
        date: iso,
        text: hay[m.clone()].to_string(),
        span: f.source_span(start + m.start, start + m.end),
    })
}

fn iso_date(m: &str, d: &str, y: &str) -> Option<String> {
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let mut y: u32 = y.parse().ok()?;
    if y < 100 {
        y += if y < 70 { 2000 } else { 1900 };
    }
    if !((1..=12).contains(&m) && (1..=31).contains(&d)) {
        return None;
    }
    // `format!("{y:04}-{m:02}-{d:02}")` without the formatting machinery: a letter has
    // several dates.
    let mut iso = String::with_capacity(10);
    push_zero_padded(&mut iso, y, 4);
    iso.push('-');
    push_zero_padded(&mut iso, m, 2);
    iso.push('-');
    push_zero_padded(&mut iso, d, 2);
    Some(iso)
}

/// Appends `n` in decimal, with leading zeros up to `width` digits.
fn push_zero_padded(out: &mut String, mut n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut len = 0;
    while n > 0 || len == 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    out.extend(digits[..len].iter().rev().map(|&b| char::from(b)));
}

/// The keys of a header block, word by word (any white space between words, any case).
const HEADER_KEYS: &[&[&str]] = &[
    &["case", "number"],
    &["imr", "case", "number"],
    &["date", "assigned"],
    &["date", "of", "injury"],
    &["decision", "date"],
    &["ur", "denial", "date"],
    &["priority"],
    &["application", "received"],
    &["treatment(s)", "in", "dispute"],
    &[
        "treatment(s)",
        "in",
        "dispute",
        "listed",
        "on",
        "imr",
        "application",
    ],
    &["final", "determination"],
    &["employee", "name"],
    &["provider", "name"],
    &["claim", "number"],
];

/// Where each "Key:" of a header block starts and ends (colon included): what the regex
/// `(?i)\b(KEY|KEY|...)\s*:` finds, read from each colon backwards. A key holds no colon,
/// so each colon ends at most one key, and the longest key that ends there starts
/// leftmost, as the regex would take it. The header is read in every letter, and the
/// regex's automaton was a cache miss in each.
fn header_keys(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let word_before = |i: usize| i > 0 && crate::re::is_regex_word_byte(b[i - 1]);
    // The start of `words` ending at `end`, if it ends there.
    let key_start = |words: &[&str], end: usize| {
        let mut e = end;
        for (i, w) in words.iter().rev().enumerate() {
            if i > 0 {
                let s = e - crate::re::regex_spaces_before(b, e);
                if s == e {
                    return None;
                }
                e = s;
            }
            let w = w.as_bytes();
            if e < w.len() || !b[e - w.len()..e].eq_ignore_ascii_case(w) {
                return None;
            }
            e -= w.len();
        }
        (!word_before(e)).then_some(e)
    };
    memchr::memchr_iter(b':', b)
        .filter_map(|colon| {
            let end = colon - crate::re::regex_spaces_before(b, colon);
            HEADER_KEYS
                .iter()
                .filter_map(|k| key_start(k, end))
                .min()
                .map(|start| start..colon + 1)
        })
        .collect()
}

/// Reads "Key: value" pairs (several may share a line) into the header.
pub fn read_header(block: &Field, header: &mut Header) {
    let keys = header_keys(&block.text);
    let mut key = String::new();
    for (k, whole) in keys.iter().enumerate() {
        // The key is the match without its colon, lower case, single spaced.
        key.clear();
        let label = crate::re::trim_space_end(&block.text[whole.start..whole.end - 1]);
        for word in label.split_whitespace() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(word);
        }
        key.make_ascii_lowercase();
        let vstart = whole.end;
        let vend = keys.get(k + 1).map(|n| n.start).unwrap_or(block.text.len());
        let raw = &block.text[vstart..vend];
        let lead = raw.len() - raw.trim_start().len();
        let value = raw.trim();
        if value.is_empty() {
            continue;
        }
        let (s, e) = (vstart + lead, vstart + lead + value.len());
        // Made only for the keys whose value is kept as text.
        let field = || Some(Field::plain(value, block.source_span(s, e)));
        let date = || find_date(block, s).filter(|d| d.span.start < block.source_span(e, e).start);
        match key.as_str() {
            "case number" | "imr case number" => header.case_number = field(),
            "date assigned" => header.date_assigned = date(),
            "date of injury" => header.date_of_injury = date(),
            "decision date" => header.decision_date = date(),
            "ur denial date" => header.ur_denial_date = date(),
            "priority" => header.priority = field(),
            "application received" => header.application_received = date(),
            k if k.starts_with("treatment(s) in dispute") => header.treatments_in_dispute = field(),
            _ => {}
        }
    }
}

pub(crate) struct CredentialPatterns {
    key: Regex,
    value_end: Regex,
    boilerplate: Regex,
}

pub(crate) fn credential_patterns() -> &'static CredentialPatterns {
    static P: OnceLock<CredentialPatterns> = OnceLock::new();
    P.get_or_init(|| CredentialPatterns {
        // Form labels, and the same facts said in a sentence ("board certified in
        // Orthopaedic Surgery and licensed in California").
        key: crate::re::compile(
            r"(?i)\b(state\(s\)\s+of\s+licensure\s*:|certification\(s\)\s*/\s*specialty\s*:|(?:is\s+)?licensed\s+(?:to\s+practice\s+(?:medicine\s+)?)?in(?:\s+the\s+state\s+of)?\b|board[- ]certified\s+in\b)\s*",
        )
        .unwrap(),
        value_end: crate::re::compile(r"(?i)\.(?:\s|$)|\s+and\s+(?:is|has|holds|was)\b|\s+and\s+(?:is\s+)?licensed\b|;\s+(?:is|has)\b").unwrap(),
        boilerplate: crate::re::compile(
            r"(?i)^the\s+expert\s+reviewer\s+developed\s+the\s+following\s+clinical\s+case\s+summary.*?(?:records|file)\s*:\s*",
        )
        .unwrap(),
    })
}

/// Reads the reviewer's licensure and specialties from the credentials section.
pub fn read_credentials(body: &[Line<'_>], reviewer: &mut Reviewer) {
    if body.is_empty() {
        return;
    }
    let p = credential_patterns();
    let joined = Joined::from_lines(body);
    let text = &joined.text;
    let keys: Vec<_> = p.key.find_iter(text).collect();
    for (k, whole) in keys.iter().enumerate() {
        let next = keys.get(k + 1).map(|n| n.start()).unwrap_or(text.len());
        let mut end = p
            .value_end
            .find(&text[whole.end()..next])
            .map(|m| whole.end() + m.start())
            .unwrap_or(next);
        let v = text[..end].trim_end_matches([' ', '.', ',', ';']);
        // "... in Orthopaedic Surgery and is licensed in ...": the "and" joins two keys.
        let v = v.strip_suffix(" and").unwrap_or(v);
        end = v.len().max(whole.end());
        // The key (group 1) is the match without its trailing white space.
        if crate::re::contains_ignore_case(whole.as_str(), "licens") {
            if let Some(f) = sub_field(&joined, whole.end(), end) {
                reviewer.licensure.get_or_insert(f);
            }
            continue;
        }
        let mut off = whole.end();
        for part in text[whole.end()..end].split([',', ';']) {
            // "Physical Medicine & Rehabilitation, and Pain Management"
            let lead = part.len() - part.trim_start().len();
            let lead = lead
                + if part.trim_start().starts_with("and ") {
                    4
                } else {
                    0
                };
            let part_end = off + part.len();
            if let Some(f) = sub_field(&joined, (off + lead).min(part_end), part_end) {
                reviewer.specialties.push(f);
            }
            off = part_end + 1;
        }
    }
}

/// The case summary of a section body, without the reviewer's boilerplate opening.
pub fn summary_field(body: &[Line<'_>]) -> Option<Field> {
    if body.is_empty() {
        return None;
    }
    let joined = Joined::from_lines(body);
    let skip = credential_patterns()
        .boilerplate
        .find(&joined.text)
        .map(|m| m.end())
        .unwrap_or(0);
    sub_field(&joined, skip, joined.text.len())
}

/// A problem for a section the layout needs but the letter lacks.
pub fn missing_section(name: &str, lines: &[Line<'_>]) -> super::model::ParseProblem {
    super::model::ParseProblem {
        code: "format/missing-section".into(),
        message: format!("the letter has no \"{name}\" section"),
        span: lines.first().map(|l| l.span).unwrap_or_default(),
        item: None,
    }
}

/// The header block: every line before the first heading.
pub fn read_header_lines(lines: &[Line<'_>], header: &mut Header) {
    if !lines.is_empty() {
        let block = Field::from_joined(Joined::from_lines(lines));
        read_header(&block, header);
    }
}

pub(crate) struct PatientPatterns {
    age: Regex,
    sex: Regex,
    injury: Regex,
    visit: Regex,
}

pub(crate) fn patient_patterns() -> &'static PatientPatterns {
    static P: OnceLock<PatientPatterns> = OnceLock::new();
    P.get_or_init(|| PatientPatterns {
        age: crate::re::compile(r"(?i)\b(\d{1,3})[- ]?(?:year|yr)s?[- ]?old\b|\bage[d:]?\s+(\d{1,3})\b").unwrap(),
        sex: crate::re::compile(r"(?i)\b(male|female|man|woman|gentleman|lady)\b").unwrap(),
        injury: crate::re::compile(
            r"(?i)\b(?:injury|injured|date\s+of\s+injury|DOI)\b[^.]{0,40}?\b(?:on|of|dated|:)\s*(\d{1,2}/\d{1,2}/\d{2,4})",
        )
        .unwrap(),
        visit: crate::re::compile(
            r"(?i)\b(?:visit|evaluation|exam(?:ination)?|report|note|progress\s+report|follow[- ]up|seen|office\s+visit|consultation)\b[^.]{0,30}?\b(?:dated|on|of)\s+(\d{1,2}/\d{1,2}/\d{2,4})|\bon\s+(\d{1,2}/\d{1,2}/\d{4}),?\s+(?:the\s+)?(?:injured\s+worker|patient|claimant|employee)",
        )
        .unwrap(),
    })
}

/// Age, sex, date of injury and visit dates from the case summary.
pub fn read_patient(summary: &Field) -> Patient {
    let p = patient_patterns();
    let text = &summary.text;
    let mut patient = Patient::default();
    if let Some(m) = p.age.find(text) {
        // "65-year-old" has the number first, "age 65" last.
        let s = m.as_str();
        let lead = s.bytes().take_while(u8::is_ascii_digit).count();
        let trail = s.bytes().rev().take_while(u8::is_ascii_digit).count();
        let number = if lead > 0 {
            &s[..lead]
        } else {
            &s[s.len() - trail..]
        };
        if let Ok(v) = number.parse::<u32>() {
            if (10..=110).contains(&v) {
                patient.age = Some(Value {
                    value: v,
                    span: summary.source_span(m.start(), m.end()),
                });
            }
        }
    }
    if let Some(m) = p.sex.find(text) {
        let value = match m.as_str().to_ascii_lowercase().as_str() {
            "male" | "man" | "gentleman" => Sex::Male,
            _ => Sex::Female,
        };
        patient.sex = Some(Value {
            value,
            span: summary.source_span(m.start(), m.end()),
        });
    }
    let dated = dated_stretches(text);
    let injury = dated
        .clone()
        .find_map(|r| p.injury.find_iter_in(text, r).next());
    if let Some(m) = injury {
        patient.date_of_injury = find_date(summary, m.start() + trailing_date(m.as_str()));
    }
    for m in dated.flat_map(|r| p.visit.find_iter_in(text, r)) {
        if let Some(d) = find_date(summary, m.start() + visit_date_at(m.as_str())) {
            let is_injury = patient
                .date_of_injury
                .as_ref()
                .is_some_and(|i| i.span == d.span);
            if !is_injury && !patient.visit_dates.iter().any(|v| v.span == d.span) {
                patient.visit_dates.push(d);
            }
        }
    }
    patient
}

/// The parts of `text` between full stops that hold a "/", in order: no match of the
/// injury and visit patterns holds a "." (their gaps are `[^.]`) and each holds a date
/// with a "/", so searching these parts finds the matches a search of the whole text
/// finds, in the same order. Most sentences of a summary have no date.
fn dated_stretches(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + Clone + '_ {
    let b = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start <= b.len() {
            let end = memchr::memchr(b'.', &b[start..]).map_or(b.len(), |i| start + i);
            let stretch = start..end;
            start = end + 1;
            if memchr::memchr(b'/', &b[stretch.clone()]).is_some() {
                return Some(stretch);
            }
        }
        None
    })
}

/// Where the date of a visit match starts: "visit dated 04/02/2015" ends with it, "on
/// 04/02/2015, the patient" has it after "on".
fn visit_date_at(s: &str) -> usize {
    if s.ends_with(|c: char| c.is_ascii_digit()) {
        trailing_date(s)
    } else {
        s.len() - crate::re::trim_space_start(&s[2..]).len()
    }
}

/// Where the date (digits, "/", digits, "/", digits) that ends `s` starts.
fn trailing_date(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = b.len();
    for part in 0..3 {
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        if part < 2 && i > 0 && b[i - 1] == b'/' {
            i -= 1;
        }
    }
    i
}

/// Reads what precedes the sections (the header block or cover notice) and the reviewer's
/// credentials under the "how the determination was made" heading, if the letter has it.
pub fn read_front_matter(
    lines: &[Line<'_>],
    headings: &[super::sections::Heading],
    how_made: Option<&super::sections::Heading>,
    reading: super::Reading,
    case: &mut super::model::Case,
) {
    let first = headings.iter().map(|h| h.first_line).min().unwrap_or(0);
    read_header_lines(&lines[..first.min(lines.len())], &mut case.header);
    if let Some(h) = how_made.filter(|_| reading == super::Reading::Everything) {
        read_credentials(
            &super::sections::section_body(lines, h, headings),
            &mut case.reviewer,
        );
    }
}

/// Reads the case-summary section into the case (and the patient facts from it), or
/// records that the letter has none.
pub fn read_summary_section(
    lines: &[Line<'_>],
    headings: &[super::sections::Heading],
    heading: Option<&super::sections::Heading>,
    name: &str,
    case: &mut super::model::Case,
) {
    match heading {
        Some(h) => {
            if let Some(summary) = summary_field(&super::sections::section_body(lines, h, headings))
            {
                case.patient = read_patient(&summary);
                case.summary = Some(summary);
            }
        }
        None => case.problems.push(missing_section(name, lines)),
    }
    if case.patient.date_of_injury.is_none() {
        case.patient.date_of_injury = case.header.date_of_injury.clone();
    }
}

/// Reads the disputed items under `heading` with the layout's `read_items`; a letter
/// without the section, or with no item under it, gets a `format/no-items` problem that
/// shows the item form (`shape`) expected.
pub fn read_items_section(
    lines: &[Line<'_>],
    headings: &[super::sections::Heading],
    heading: Option<&super::sections::Heading>,
    name: &str,
    shape: &str,
    case: &mut super::model::Case,
    read_items: fn(&[Line<'_>], &mut super::model::Case),
) {
    let problem = |message: String, span| super::model::ParseProblem {
        code: "format/no-items".into(),
        message,
        span,
        item: None,
    };
    match heading {
        Some(h) => {
            read_items(&super::sections::section_body(lines, h, headings), case);
            if case.items.is_empty() {
                case.problems.push(problem(
                    format!("no disputed item (\"{shape}\") was found under this heading"),
                    h.span,
                ));
            }
        }
        None => case.problems.push(problem(
            format!("the letter has no \"{name}\" section, so no disputed item could be read"),
            lines.first().map(|l| l.span).unwrap_or_default(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::text::content_lines;
    use crate::span::Span;

    #[test]
    fn iso_dates_are_zero_padded_and_two_digit_years_windowed() {
        assert_eq!(iso_date("1", "2", "2020").as_deref(), Some("2020-01-02"));
        assert_eq!(iso_date("12", "31", "69").as_deref(), Some("2069-12-31"));
        assert_eq!(iso_date("07", "4", "70").as_deref(), Some("1970-07-04"));
        assert_eq!(iso_date("3", "9", "0").as_deref(), Some("2000-03-09"));
        assert_eq!(iso_date("3", "9", "0999").as_deref(), Some("0999-03-09"));
        assert_eq!(iso_date("13", "1", "2020"), None);
        assert_eq!(iso_date("1", "32", "2020"), None);
    }

    #[test]
    fn credentials_as_labels_and_as_sentences() {
        let src = "State(s) of Licensure: California\nCertification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management";
        let mut r = Reviewer::default();
        read_credentials(&content_lines(src), &mut r);
        assert_eq!(r.licensure.unwrap().text, "California");
        let sp: Vec<_> = r.specialties.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            sp,
            ["Physical Medicine & Rehabilitation", "Pain Management"]
        );
        let src = "The reviewer is board certified in Orthopaedic Surgery and is licensed\nto practice in California. He is in active practice.";
        let mut r = Reviewer::default();
        read_credentials(&content_lines(src), &mut r);
        let lic = r.licensure.unwrap();
        assert_eq!(lic.text, "California");
        assert_eq!(&src[lic.span.start..lic.span.end], "California");
        let sp: Vec<_> = r.specialties.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(sp, ["Orthopaedic Surgery"]);
    }

    #[test]
    fn header_pairs_share_lines() {
        let text = "Case Number: CM15-0101234 Date Assigned: 06/01/2015 Date of Injury: 06/25/2012 Decision Date: 07/08/15 UR Denial Date: 05/14/2015 Priority: Standard Application Received: 05/22/2015 Treatment(s) in Dispute Listed on IMR Application: X-ray of the lumbar spine";
        let f = Field::plain(text, Span::new(0, text.len()));
        let mut h = Header::default();
        read_header(&f, &mut h);
        assert_eq!(h.case_number.unwrap().text, "CM15-0101234");
        assert_eq!(h.date_assigned.unwrap().date, "2015-06-01");
        assert_eq!(h.date_of_injury.unwrap().date, "2012-06-25");
        assert_eq!(h.decision_date.unwrap().date, "2015-07-08");
        assert_eq!(h.ur_denial_date.unwrap().date, "2015-05-14");
        assert_eq!(h.priority.unwrap().text, "Standard");
        assert_eq!(h.application_received.unwrap().date, "2015-05-22");
        assert_eq!(
            h.treatments_in_dispute.unwrap().text,
            "X-ray of the lumbar spine"
        );
    }

    /// The keys found by hand are the regex's matches, on every fixture line and on
    /// keys spaced, cased, glued and repeated in odd ways.
    #[test]
    fn header_keys_are_the_regex() {
        let alternatives: Vec<String> = HEADER_KEYS
            .iter()
            .map(|k| {
                k.iter()
                    .map(|w| regex_syntax::escape(w))
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        let re = crate::re::compile(&format!(r"(?i)\b({})\s*:", alternatives.join("|"))).unwrap();
        let texts = crate::re::testing::samples_with(&[
            "IMR Case Number: CM13-1 Date of Injury:06/11/2013",
            "imr   case\tnumber :x case number:",
            "XCase Number: a _Priority: b 1Priority: c é Priority: d",
            "Treatment(s) in Dispute Listed on IMR Application: MRI",
            "Treatment(s) in Dispute: Listed on IMR Application: MRI",
            "Treatment(s) in  Dispute\nListed on IMR\x0bApplication :",
            "Priority:: Date Assigned:Decision Date: UR Denial Date:",
            ": Priority",
            "Case: Number: Claim Number:Employee Name:Provider Name: Final Determination:",
            "Date of Injury Date of Injury: Application Received  :",
        ]);
        let mut found = 0;
        for t in texts {
            let want: Vec<_> = re.find_iter(&t).map(|m| m.range()).collect();
            found += want.len();
            assert_eq!(header_keys(&t), want, "{t:?}");
        }
        assert!(found > 200, "{found}");
    }

    /// The injury and visit patterns searched only in the dated parts between full
    /// stops find what a search of the whole text finds, in the same order.
    #[test]
    fn dated_stretches_hold_every_injury_and_visit_match() {
        let p = patient_patterns();
        let texts = crate::re::testing::samples_with(&[
            "Injured on 01/02/2013. Seen on 3/4/2014, the patient. Report dated 05/06/15.",
            "visit.on 01/02/2014 the patient; exam of 02/03/2014 and note dated 1/1/11",
            "DOI: 4/5/2012.seen for a follow-up on 06/07/2014 .",
            "on 01/02/2014, employee.",
            "progress  report   of 7/8/2014.. .office visit on 9/10/2014",
            "no dates here. 1/2 of the dose. A/B testing on 3/4/2015",
            "",
            ".",
            "/",
        ]);
        let mut found = 0;
        for t in &texts {
            for re in [&p.visit, &p.injury] {
                let want: Vec<_> = re.find_iter(t).map(|m| m.range()).collect();
                let got: Vec<_> = dated_stretches(t)
                    .flat_map(|r| re.find_iter_in(t, r))
                    .map(|m| m.range())
                    .collect();
                found += want.len();
                assert_eq!(got, want, "{t:?}");
            }
        }
        assert!(found > 20, "{found}");
    }

    #[test]
    fn first_date_is_the_regex() {
        let re = crate::re::compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b").unwrap();
        let texts = crate::re::testing::samples_with(&[
            "1/2/2015",
            "01/02/15",
            "1/2/201",
            "1/2/20155",
            "x1/2/2015",
            "123/4/2015 5/6/2016",
            "12/345/2015",
            "1//2015",
            "12/31/1999a 2/2/22",
            "3/4/56_",
            "é1/2/2015",
            "9/9/99.",
            "7/7/7777/7",
            "10/10/10/10",
        ]);
        let mut matched = 0;
        for t in texts {
            let want = re
                .captures(&t)
                .map(|c| [0, 1, 2, 3].map(|g| c.get(g).unwrap().range()));
            matched += usize::from(want.is_some());
            assert_eq!(first_date(&t), want, "{t:?}");
        }
        assert!(matched > 100, "{matched}");
    }

    /// The groups the patient patterns' matches are read for, as the capture search finds them.
    #[test]
    fn patient_groups_are_read_off_the_matches() {
        let p = patient_patterns();
        let mut seen = [0; 3];
        for t in crate::re::testing::samples() {
            if let Some(c) = p.injury.captures(&t) {
                seen[0] += 1;
                let m = c.get(0).unwrap();
                assert_eq!(
                    m.start() + trailing_date(m.as_str()),
                    c.get(1).unwrap().start(),
                    "{t:?}"
                );
            }
            for c in p.visit.captures_iter(&t) {
                seen[1] += 1;
                let m = c.get(0).unwrap();
                let g = c.get(1).or_else(|| c.get(2)).unwrap();
                assert_eq!(m.start() + visit_date_at(m.as_str()), g.start(), "{t:?}");
            }
            if let Some(c) = p.age.captures(&t) {
                seen[2] += 1;
                let g = c.get(1).or_else(|| c.get(2)).unwrap();
                let f = Field::plain(&t, Span::new(0, t.len()));
                assert_eq!(
                    read_patient(&f).age.map(|a| a.value.to_string()),
                    g.as_str()
                        .parse::<u32>()
                        .ok()
                        .filter(|v| (10..=110).contains(v))
                        .map(|v| v.to_string()),
                    "{t:?}"
                );
            }
        }
        assert!(seen.iter().all(|&n| n > 5), "{seen:?}");
    }

    #[test]
    fn patient_facts() {
        let text = "The injured worker is a 65-year-old male, who sustained an industrial injury on 06/25/2012. On provider visit dated 04/02/2015 the injured worker was seen.";
        let f = Field::plain(text, Span::new(0, text.len()));
        let p = read_patient(&f);
        assert_eq!(p.age.unwrap().value, 65);
        assert_eq!(p.sex.unwrap().value, Sex::Male);
        assert_eq!(p.date_of_injury.unwrap().date, "2012-06-25");
        assert_eq!(p.visit_dates.len(), 1);
        assert_eq!(p.visit_dates[0].date, "2015-04-02");
    }
}
