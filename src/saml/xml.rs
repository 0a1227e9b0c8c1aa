//! A small namespace-aware XML tree over quick-xml, with what signature checking needs kept:
//! each element knows the namespaces in scope where it stands, so any subtree can be
//! canonicalized on its own. Comments and processing instructions are dropped; a DOCTYPE is
//! refused (no entity expansion, no external entities).

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Deeper documents are refused: canonicalization recurses once per level.
const MAX_DEPTH: usize = 64;

#[derive(Debug, thiserror::Error)]
#[error("not well-formed XML: {0}")]
pub struct XmlError(pub String);

fn err(message: impl Into<String>) -> XmlError {
    XmlError(message.into())
}

#[derive(Debug, Clone)]
pub struct Attribute {
    /// The prefix as written; empty for an unprefixed attribute (which has no namespace).
    pub prefix: String,
    pub local: String,
    pub namespace: String,
    /// The value with references resolved and whitespace normalized as XML 1.0 §3.3.3 asks.
    pub value: String,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Element {
    pub prefix: String,
    pub local: String,
    pub namespace: String,
    pub attributes: Vec<Attribute>,
    /// Every namespace binding in scope here (prefix → URI; `""` is the default namespace).
    pub in_scope: BTreeMap<String, String>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn qname(&self) -> String {
        if self.prefix.is_empty() {
            self.local.clone()
        } else {
            format!("{}:{}", self.prefix, self.local)
        }
    }

    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.namespace == namespace && self.local == local
    }

    /// An unqualified attribute's value.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_empty() && a.local == local)
            .map(|a| a.value.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn children_named<'a>(
        &'a self,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.is(namespace, local))
    }

    pub fn child(&self, namespace: &str, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(namespace, local))
    }

    /// The concatenated text of the element's direct text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// Parses a whole document; returns its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| err(e.to_string()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(err("content after the root element"));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err("too deeply nested"));
                }
                let parent = stack.last().map(|p| &p.in_scope);
                stack.push(open(&start, parent)?);
            }
            Event::Empty(start) => {
                let parent = stack.last().map(|p| &p.in_scope);
                let element = open(&start, parent)?;
                close(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| err("unbalanced end tag"))?;
                close(&mut stack, &mut root, element);
            }
            Event::Text(t) => {
                let raw = std::str::from_utf8(t.as_ref()).map_err(|e| err(e.to_string()))?;
                let text = quick_xml::escape::unescape(&normalize_newlines(raw))
                    .map_err(|e| err(e.to_string()))?
                    .into_owned();
                push_text(&mut stack, text)?;
            }
            Event::CData(c) => {
                let raw = std::str::from_utf8(c.as_ref()).map_err(|e| err(e.to_string()))?;
                push_text(&mut stack, normalize_newlines(raw))?;
            }
            Event::DocType(_) => return Err(err("a DOCTYPE is not accepted")),
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(err("unclosed element"));
    }
    root.ok_or_else(|| err("no root element"))
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: String) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(&text);
            } else {
                parent.children.push(Node::Text(text));
            }
            Ok(())
        }
        // Whitespace around the root element is not content.
        None if text.trim().is_empty() => Ok(()),
        None => Err(err("text outside the root element")),
    }
}

/// XML 1.0 §2.11: `\r\n` and lone `\r` become `\n`.
fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn split_qname(name: &str) -> Result<(String, String), XmlError> {
    match name.split_once(':') {
        Some((p, l)) if !p.is_empty() && !l.is_empty() && !l.contains(':') => {
            Ok((p.to_string(), l.to_string()))
        }
        Some(_) => Err(err(format!("bad name {name}"))),
        None => Ok((String::new(), name.to_string())),
    }
}

fn open(
    start: &BytesStart<'_>,
    parent_scope: Option<&BTreeMap<String, String>>,
) -> Result<Element, XmlError> {
    let name = std::str::from_utf8(start.name().as_ref())
        .map_err(|e| err(e.to_string()))?
        .to_string();
    let mut in_scope = parent_scope.cloned().unwrap_or_default();
    let mut raw_attributes = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| err(e.to_string()))?;
        let key = std::str::from_utf8(a.key.as_ref())
            .map_err(|e| err(e.to_string()))?
            .to_string();
        let raw = std::str::from_utf8(&a.value).map_err(|e| err(e.to_string()))?;
        // §3.3.3: literal whitespace in a value becomes a space before references resolve.
        let spaced: String = normalize_newlines(raw)
            .chars()
            .map(|c| if matches!(c, '\t' | '\n') { ' ' } else { c })
            .collect();
        let value = quick_xml::escape::unescape(&spaced)
            .map_err(|e| err(e.to_string()))?
            .into_owned();
        if key == "xmlns" {
            in_scope.insert(String::new(), value);
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            if value.is_empty() {
                return Err(err("a prefix cannot be undeclared in XML 1.0"));
            }
            in_scope.insert(prefix.to_string(), value);
        } else {
            raw_attributes.push((key, value));
        }
    }
    let (prefix, local) = split_qname(&name)?;
    let namespace = resolve(&in_scope, &prefix, true)?;
    let mut attributes = Vec::with_capacity(raw_attributes.len());
    for (key, value) in raw_attributes {
        let (prefix, local) = split_qname(&key)?;
        let namespace = resolve(&in_scope, &prefix, false)?;
        if attributes
            .iter()
            .any(|a: &Attribute| a.namespace == namespace && a.local == local)
        {
            return Err(err(format!("duplicate attribute {key}")));
        }
        attributes.push(Attribute {
            prefix,
            local,
            namespace,
            value,
        });
    }
    Ok(Element {
        prefix,
        local,
        namespace,
        attributes,
        in_scope,
        children: Vec::new(),
    })
}

/// The namespace of a prefix; unprefixed attributes have none, unprefixed elements the
/// default namespace.
fn resolve(
    in_scope: &BTreeMap<String, String>,
    prefix: &str,
    element: bool,
) -> Result<String, XmlError> {
    if prefix == "xml" {
        return Ok(XML_NS.to_string());
    }
    if prefix.is_empty() {
        return Ok(if element {
            in_scope.get("").cloned().unwrap_or_default()
        } else {
            String::new()
        });
    }
    in_scope
        .get(prefix)
        .cloned()
        .ok_or_else(|| err(format!("undeclared prefix {prefix}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_text_and_attributes() {
        let doc = parse(
            "<?xml version=\"1.0\"?>\r\n<a:r xmlns:a=\"urn:a\" xmlns=\"urn:d\" k=\"x&#xA;y\tz\"><!-- c --><c>1 &amp; 2<![CDATA[<3]]></c></a:r>",
        )
        .expect("parses");
        assert_eq!(doc.namespace, "urn:a");
        assert_eq!(doc.attr("k"), Some("x\ny z"));
        let c = doc
            .child("urn:d", "c")
            .expect("child in the default namespace");
        assert_eq!(c.text(), "1 & 2<3");
        assert_eq!(c.in_scope.get("a").map(String::as_str), Some("urn:a"));
    }

    #[test]
    fn refuses_what_it_should() {
        for bad in [
            "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>",
            "<r><a></r>",
            "<p:r/>",
            "<r a=\"1\" a=\"2\"/>",
            "<r/><r/>",
            "",
            "<r>&unknown;</r>",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).is_err());
    }
}
