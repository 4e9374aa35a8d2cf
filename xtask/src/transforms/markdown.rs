use serde_json::Value;

use super::{Ledger, unions::is_data_key};

/// Turns the HTML in descriptions and summaries into Markdown, for rustdoc.
///
/// Kibana's document writes parts of its descriptions in HTML (`<div><span class="operation-verb post">post</span>
/// &nbsp;<span class="operation-path">/s/{space_id}/api/…</span></div>`, `<br>`, `<code>`, links), which rustdoc
/// shows raw. The operation-path boxes become `` `POST /s/{space_id}/api/…` ``, the common tags their Markdown, and
/// any other tag is dropped (its text kept); entities are decoded.
pub fn markdown_descriptions(doc: &mut Value, ledger: &mut Ledger) {
    let mut changed = 0;
    walk(doc, &mut changed);
    if changed > 0 {
        ledger.notes.push(format!(
            "{changed} descriptions had HTML, written as Markdown for rustdoc"
        ));
    }
}

fn walk(value: &mut Value, changed: &mut usize) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if (key == "description" || key == "summary")
                    && let Value::String(text) = child
                {
                    if text.contains('<') || text.contains('&') {
                        let markdown = to_markdown(text);
                        if markdown != *text {
                            *text = markdown;
                            *changed += 1;
                        }
                    }
                } else if !is_data_key(key) {
                    walk(child, changed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, changed)),
        _ => {}
    }
}

/// The Markdown of an HTML-sprinkled description.
pub fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Inside `<a href=…>`: the target, written after the link text.
    let mut link: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[1..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let known = matches!(
            name.as_str(),
            "div" | "span" | "br" | "p" | "code" | "b" | "strong" | "i" | "em" | "a" | "ul" | "ol" | "li" | "pre"
        );
        if !known || name.is_empty() {
            // Not a tag we know (`a < b`, `<id>`): text.
            out.push('<');
            rest = &after[1..];
            continue;
        }
        match (name.as_str(), closing) {
            ("span", false) if tag.contains("operation-verb") => {
                // `<span class="operation-verb post">post</span>&nbsp;<span class="operation-path">/p</span>`
                let inner = &after[end + 1..];
                let verb: String = inner.chars().take_while(|c| *c != '<').collect();
                out.push('`');
                out.push_str(&verb.to_ascii_uppercase());
                out.push(' ');
                let rest_after_verb = inner[verb.len()..].trim_start_matches("</span>");
                let rest_after_verb = rest_after_verb.trim_start_matches("&nbsp;").trim_start();
                if let Some(path_start) = rest_after_verb.find("operation-path")
                    && let Some(open_end) = rest_after_verb[path_start..].find('>')
                {
                    let path_text = &rest_after_verb[path_start + open_end + 1..];
                    let path: String = path_text.chars().take_while(|c| *c != '<').collect();
                    out.push_str(&path);
                    out.push('`');
                    rest = path_text[path.len()..].trim_start_matches("</span>");
                } else {
                    out.push('`');
                    rest = rest_after_verb;
                }
                continue;
            }
            ("br", _) => out.push('\n'),
            ("p", false) => out.push_str("\n\n"),
            ("code", _) => out.push('`'),
            ("pre", _) => out.push_str("\n```\n"),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("li", false) => out.push_str("\n- "),
            ("ul" | "ol", _) => out.push('\n'),
            ("a", false) => {
                link = tag.split("href=").nth(1).map(|h| {
                    h.trim_matches(|c| c == '"' || c == '\'')
                        .split(['"', '\''])
                        .next()
                        .unwrap_or("")
                        .to_owned()
                });
                out.push('[');
            }
            ("a", true) => {
                out.push(']');
                out.push('(');
                out.push_str(link.take().as_deref().unwrap_or(""));
                out.push(')');
            }
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kibanas_html_reads_as_markdown() {
        let text = "**Spaces method and path for this operation:**\n\n<div><span class=\"operation-verb post\">post</span>&nbsp;<span class=\"operation-path\">/s/{space_id}/api/detection_engine/rules</span></div>\n\nRefer to <a href=\"https://example.com/spaces\">Spaces</a>.<br>Use <code>rule_id</code> &amp; <b>id</b>: a < b.";
        assert_eq!(
            to_markdown(text),
            "**Spaces method and path for this operation:**\n\n`POST /s/{space_id}/api/detection_engine/rules`\n\nRefer to [Spaces](https://example.com/spaces).\nUse `rule_id` & **id**: a < b."
        );
    }
}
