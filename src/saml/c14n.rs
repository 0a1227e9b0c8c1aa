//! Exclusive XML Canonicalization 1.0 without comments
//! (`http://www.w3.org/2001/10/xml-exc-c14n#`), for a subtree of an [`Element`] tree: the
//! subset SAML signatures use (elements, attributes, text; no comments or PIs survive
//! parsing).
//!
//! Rules (W3C "Exclusive XML Canonicalization" §3, over "Canonical XML" §2.3):
//! - an element renders the namespace declarations it *visibly utilizes* (its own prefix and
//!   its attributes' prefixes) unless an output ancestor already rendered the same binding,
//!   plus those of the `InclusiveNamespaces PrefixList` treated as in inclusive c14n;
//! - namespace declarations sorted by prefix (default first), then attributes sorted by
//!   namespace URI then local name (unqualified ones first);
//! - empty elements written as start-end pairs; text and attribute values escaped.

use std::collections::BTreeMap;

use super::xml::{Element, Node};

/// Canonical form of `root`'s subtree, leaving out `skip` (the signature an enveloped
/// transform removes) and rendering the `inclusive` prefixes (`#default` for the default
/// namespace) wherever they are in scope.
pub fn canonicalize(root: &Element, skip: Option<&Element>, inclusive: &[String]) -> String {
    let inclusive: Vec<&str> = inclusive
        .iter()
        .map(|p| if p == "#default" { "" } else { p.as_str() })
        .collect();
    let mut out = String::new();
    render(root, skip, &inclusive, &BTreeMap::new(), &mut out);
    out
}

fn render(
    el: &Element,
    skip: Option<&Element>,
    inclusive: &[&str],
    rendered: &BTreeMap<String, String>,
    out: &mut String,
) {
    let mut utilized: Vec<&str> = vec![el.prefix.as_str()];
    for a in &el.attributes {
        if !a.prefix.is_empty() && a.prefix != "xml" {
            utilized.push(&a.prefix);
        }
    }
    for p in inclusive {
        if el.in_scope.contains_key(*p) {
            utilized.push(p);
        }
    }
    utilized.sort_unstable();
    utilized.dedup();

    let mut now_rendered = rendered.clone();
    let qname = el.qname();
    out.push('<');
    out.push_str(&qname);
    for prefix in utilized {
        let uri = el.in_scope.get(prefix).map(String::as_str).unwrap_or("");
        let before = rendered.get(prefix).map(String::as_str);
        // An empty default namespace needs `xmlns=""` only to undo a rendered non-empty one.
        let needed = if prefix.is_empty() {
            before.unwrap_or("") != uri
        } else {
            before != Some(uri)
        };
        if !needed {
            continue;
        }
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        escape_attribute(uri, out);
        out.push('"');
        now_rendered.insert(prefix.to_string(), uri.to_string());
    }
    let mut attributes: Vec<_> = el.attributes.iter().collect();
    attributes.sort_by(|a, b| (&a.namespace, &a.local).cmp(&(&b.namespace, &b.local)));
    for a in attributes {
        out.push(' ');
        if !a.prefix.is_empty() {
            out.push_str(&a.prefix);
            out.push(':');
        }
        out.push_str(&a.local);
        out.push_str("=\"");
        escape_attribute(&a.value, out);
        out.push('"');
    }
    out.push('>');
    for child in &el.children {
        match child {
            Node::Element(c) if skip.is_some_and(|s| std::ptr::eq(s, c)) => {}
            Node::Element(c) => render(c, skip, inclusive, &now_rendered, out),
            Node::Text(t) => escape_text(t, out),
        }
    }
    out.push_str("</");
    out.push_str(&qname);
    out.push('>');
}

fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attribute(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::xml::parse;
    use super::*;

    fn c14n(doc: &str, path: &[&str], inclusive: &[&str]) -> String {
        let root = parse(doc).expect("parses");
        let mut el = &root;
        for name in path {
            el = el
                .elements()
                .find(|e| e.local == *name)
                .expect("path exists");
        }
        let inclusive: Vec<String> = inclusive.iter().map(|s| s.to_string()).collect();
        canonicalize(el, None, &inclusive)
    }

    #[test]
    fn renders_only_visibly_utilized_namespaces() {
        // Exclusive c14n spec §2.2's example: the subtree does not drag in n1.
        let doc = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>"#;
        assert_eq!(
            c14n(doc, &["elem2"], &[]),
            r#"<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>"#
        );
        assert_eq!(
            c14n(doc, &["elem2"], &["n3"]),
            r#"<n1:elem2 xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" xml:lang="en"><n3:stuff></n3:stuff></n1:elem2>"#
        );
    }

    #[test]
    fn sorts_attributes_and_escapes() {
        let doc = "<r xmlns=\"urn:d\" xmlns:b=\"urn:b\" xmlns:a=\"urn:a\" z=\"1\" b:y=\"&lt;&quot;&#9;\" a:y=\"2\" a=\"x&#xD;\">a&gt;b &amp; c\r\n<e/></r>";
        assert_eq!(
            c14n(doc, &[], &[]),
            "<r xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" a=\"x&#xD;\" z=\"1\" a:y=\"2\" b:y=\"&lt;&quot;&#x9;\">a&gt;b &amp; c\n<e></e></r>"
        );
    }

    #[test]
    fn default_namespace_undeclared_only_when_rendered() {
        let doc = r#"<r xmlns="urn:d"><e xmlns=""><f/></e></r>"#;
        assert_eq!(
            c14n(doc, &[], &[]),
            r#"<r xmlns="urn:d"><e xmlns=""><f></f></e></r>"#
        );
        assert_eq!(c14n(doc, &["e"], &[]), "<e><f></f></e>");
    }
}
