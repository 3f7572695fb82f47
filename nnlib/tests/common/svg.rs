//! Reading figures' SVG text in the plot tests.

/// The text of every `<text>` element, with XML escapes undone.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</text>")?;
            Some(unescape(rest[start..end].trim()))
        })
        .collect()
}

/// `s` with the five XML escapes undone.
pub fn unescape(s: &str) -> String {
    [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")]
        .iter()
        .fold(s.to_string(), |t, (from, to)| t.replace(from, to))
}
