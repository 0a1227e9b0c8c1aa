//! Turning AWS model names into Rust names.

/// `UserName` -> `user_name`, `SAMLMetadataDocument` -> `saml_metadata_document`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' || c == '.' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    field_ident(&out)
}

/// A snake name that is safe as a Rust identifier.
pub fn field_ident(s: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "type", "match", "ref", "self", "struct", "enum", "fn", "mod", "use", "loop", "move",
        "impl", "trait", "where", "async", "await", "dyn", "box", "in", "for", "let", "const",
        "static",
    ];
    if KEYWORDS.contains(&s) {
        format!("r#{s}")
    } else {
        s.to_string()
    }
}

/// A shape name as a Rust type name: first letter upper-cased.
pub fn type_name(shape: &str) -> String {
    let mut c = shape.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// AWS's validation messages name members in lowerCamel (`userName`, `clientIDList`).
pub fn lower_camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases() {
        assert_eq!(snake("UserName"), "user_name");
        assert_eq!(snake("SAMLMetadataDocument"), "saml_metadata_document");
        assert_eq!(snake("ClientIDList"), "client_id_list");
        assert_eq!(snake("MFADevices"), "mfa_devices");
        assert_eq!(
            snake("OpenIDConnectProviderArn"),
            "open_id_connect_provider_arn"
        );
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("PolicyARN"), "policy_arn");
        assert_eq!(snake("AccessKeyId"), "access_key_id");
    }
}
