//! Writing shapes as AWS Query XML with quick-xml events: members in model order, lists as
//! `<member>` elements, maps as `<entry><key/><value/></entry>`, timestamps as ISO 8601 `Z`.

use std::collections::BTreeMap;

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

use super::{Blob, Timestamp};

/// An XML document being written into memory.
pub struct XmlWriter {
    inner: quick_xml::Writer<Vec<u8>>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            inner: quick_xml::Writer::new(Vec::with_capacity(512)),
        }
    }

    // Writing into a Vec cannot fail, so the io::Result of each event is dropped.
    fn event(&mut self, e: Event<'_>) {
        let _ = self.inner.write_event(e);
    }

    pub fn start(&mut self, name: &str) {
        self.event(Event::Start(BytesStart::new(name)));
    }

    pub fn start_with_namespace(&mut self, name: &str, namespace: &str) {
        let mut e = BytesStart::new(name);
        e.push_attribute(("xmlns", namespace));
        self.event(Event::Start(e));
    }

    pub fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str) {
        self.event(Event::Empty(BytesStart::new(name)));
    }

    /// `<name>text</name>`, text escaped.
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.event(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.inner.into_inner()
    }
}

/// A value that can be written as an element named by its member.
pub trait XmlField {
    fn write_field(&self, name: &str, w: &mut XmlWriter);
}

/// A structure: its members in model order.
pub trait WriteMembers {
    fn write_members(&self, w: &mut XmlWriter);
}

impl WriteMembers for () {
    fn write_members(&self, _w: &mut XmlWriter) {}
}

impl XmlField for String {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, self);
    }
}

impl XmlField for i32 {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.to_string());
    }
}

impl XmlField for i64 {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &self.to_string());
    }
}

impl XmlField for bool {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, if *self { "true" } else { "false" });
    }
}

/// IAM writes whole seconds: `2024-01-09T19:51:18Z`.
pub fn format_timestamp(t: &Timestamp) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl XmlField for Timestamp {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.text_element(name, &format_timestamp(self));
    }
}

impl XmlField for Blob {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        use base64::Engine;
        w.text_element(
            name,
            &base64::engine::general_purpose::STANDARD.encode(&self.0),
        );
    }
}

impl<T: XmlField> XmlField for Option<T> {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        if let Some(v) = self {
            v.write_field(name, w);
        }
    }
}

impl<T: XmlField> XmlField for Vec<T> {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.start(name);
        for item in self {
            item.write_field("member", w);
        }
        w.end(name);
    }
}

impl<V: XmlField> XmlField for BTreeMap<String, V> {
    fn write_field(&self, name: &str, w: &mut XmlWriter) {
        w.start(name);
        for (k, v) in self {
            w.start("entry");
            w.text_element("key", k);
            v.write_field("value", w);
            w.end("entry");
        }
        w.end(name);
    }
}

/// The whole answer: `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>…`.
pub fn write_response<T: WriteMembers>(
    operation: &str,
    namespace: &str,
    result: Option<(&str, &T)>,
    request_id: &str,
) -> Vec<u8> {
    let mut w = XmlWriter::new();
    let root = format!("{operation}Response");
    w.start_with_namespace(&root, namespace);
    if let Some((wrapper, value)) = result {
        w.start(wrapper);
        value.write_members(&mut w);
        w.end(wrapper);
    }
    w.start("ResponseMetadata");
    w.text_element("RequestId", request_id);
    w.end("ResponseMetadata");
    w.end(&root);
    w.into_bytes()
}

/// `<ErrorResponse>` as the Query services send it.
pub fn write_error(error: &super::ApiError, namespace: &str, request_id: &str) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.start_with_namespace("ErrorResponse", namespace);
    w.start("Error");
    w.text_element("Type", if error.sender { "Sender" } else { "Receiver" });
    w.text_element("Code", &error.code);
    if let Some(m) = &error.message {
        w.text_element("Message", m);
    }
    w.end("Error");
    w.text_element("RequestId", request_id);
    w.end("ErrorResponse");
    w.into_bytes()
}
