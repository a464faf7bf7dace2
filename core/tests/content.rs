//! Binary 2xx content in Rust: the bytes as received on `ApiResponse::content`, and a typed read of it is a clear
//! error rather than a silent `null` (the vectors check what every front door returns).

use flarekit::testing::{decode_envelope, decode_envelope_raw};

#[test]
fn binary_content_is_kept_and_typed_reads_say_where_it_is() {
    let body = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n\x00\xff";
    let headers = vec![("content-type".to_string(), "application/pdf".to_string())];
    for decode in [decode_envelope, decode_envelope_raw] {
        let r = decode(
            200,
            &headers,
            body,
            "/accounts/a1/addressing/loa_documents/d1/download",
        )
        .unwrap();
        assert_eq!(r.content.as_deref(), Some(&body[..]));
        assert!(r.result.is_null());
        let err = r.into_result::<serde_json::Value>().unwrap_err();
        assert_eq!(err.kind().as_str(), "APIStatusError");
        assert!(
            err.message()
                .contains(&format!("{} bytes of application/pdf", body.len()))
                && err.message().contains("ApiResponse::content"),
            "{err}"
        );
    }
}
