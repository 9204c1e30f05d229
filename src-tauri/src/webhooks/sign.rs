//! Standard Webhooks headers: `webhook-id`, `webhook-timestamp` and the HMAC-SHA256 signature.

// The Standard Webhooks scheme: the signed content is
// "{webhook-id}.{webhook-timestamp}.{body}", the signature header is a space-separated list
// of "v1,<base64 of HMAC-SHA256(key, content)>". The key is the base64 after `whsec_` when
// the secret has that prefix, else the secret's bytes (see `Secret::key`).

use super::body::DeliveryId;
use super::target::Secret;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const ID: &str = "webhook-id";
pub const TIMESTAMP: &str = "webhook-timestamp";
pub const SIGNATURE: &str = "webhook-signature";

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], id: &DeliveryId, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(id.as_str().as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// `v1,<base64 signature>`; `None` when the secret has no usable key (checked at config time).
pub fn signature(secret: &Secret, id: &DeliveryId, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = secret.key()?;
    let tag = mac(&key, id, timestamp, body).finalize().into_bytes();
    Some(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(tag)
    ))
}

/// The headers for one attempt: the id stays the same on every retry, the timestamp is
/// the attempt's (receivers reject old ones), the signature is there with a secret.
pub fn headers(
    secret: Option<&Secret>,
    id: &DeliveryId,
    timestamp: i64,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    let mut out = vec![(ID, id.to_string()), (TIMESTAMP, timestamp.to_string())];
    if let Some(sig) = secret.and_then(|s| signature(s, id, timestamp, body)) {
        out.push((SIGNATURE, sig));
    }
    out
}

/// Whether any `v1,` signature in `header` is ours, compared in constant time: what a
/// receiver does (and what the Settings "Send test" can show a user to copy).
pub fn verify(secret: &Secret, id: &DeliveryId, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Some(key) = secret.key() else {
        return false;
    };
    header
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .any(|tag| mac(&key, id, timestamp, body).verify_slice(&tag).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    /// HMAC (RFC 2104) written out over SHA-256 alone: a second implementation, so a bug in
    /// how we drive the `hmac` crate cannot hide behind itself.
    fn hmac_by_hand(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&sha2::Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
        let inner = sha2::Sha256::new()
            .chain_update(pad(0x36))
            .chain_update(message)
            .finalize();
        sha2::Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize()
            .to_vec()
    }

    fn id() -> DeliveryId {
        DeliveryId::parse("msg_p5jXN8AQM9LWM0D4loKWxJek").expect("id")
    }

    #[test]
    fn matches_the_standard_webhooks_reference_vector() {
        // The example in the Standard Webhooks spec and its reference libraries.
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&secret, &id(), 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn matches_independent_computations() {
        // Computed with python3's hmac module when this test was written:
        // base64(hmac.new(b"not-base64 secret", b"msg_p5jXN8AQM9LWM0D4loKWxJek.1795680000.{\"a\":\"é\"}", sha256))
        let secret = Secret::new("not-base64 secret").expect("secret");
        let body = "{\"a\":\"é\"}".as_bytes();
        assert_eq!(
            signature(&secret, &id(), 1795680000, body).as_deref(),
            Some("v1,uxS94xKjwZp7I/50xwa2xWzo0Fj3VlWwSjCRS0KxyuI=")
        );
        // And against HMAC written out by hand, for several key shapes.
        let long = "k".repeat(100);
        for raw in [
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "short",
            long.as_str(),
        ] {
            let secret = Secret::new(raw).expect("secret");
            let key = secret.key().expect("key");
            let content = format!("{}.1795680000.{{\"b\":1}}", id());
            let want = format!(
                "v1,{}",
                base64::engine::general_purpose::STANDARD
                    .encode(hmac_by_hand(&key, content.as_bytes()))
            );
            let got = signature(&secret, &id(), 1795680000, b"{\"b\":1}");
            assert_eq!(got.as_deref(), Some(want.as_str()), "{raw}");
        }
    }

    #[test]
    fn headers_and_verification() {
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        let body = b"{\"x\":1}";
        let hs = headers(Some(&secret), &id(), 1795680000, body);
        let names: Vec<&str> = hs.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, [ID, TIMESTAMP, SIGNATURE]);
        assert_eq!(hs[0].1, id().as_str());
        assert_eq!(hs[1].1, "1795680000");
        let sig = &hs[2].1;
        assert!(verify(&secret, &id(), 1795680000, body, sig));
        // A receiver may list several signatures (key rotation): any match counts.
        assert!(verify(
            &secret,
            &id(),
            1795680000,
            body,
            &format!("v1,AAAA {sig}")
        ));
        let other = Secret::new("whsec_b3RoZXI=").expect("secret");
        let table: [(&Secret, i64, &[u8], &str); 4] = [
            (&secret, 1795680001, body, sig),
            (&secret, 1795680000, b"{\"x\":2}", sig),
            (&other, 1795680000, body, sig),
            (&secret, 1795680000, body, "v2,abc"),
        ];
        for (s, ts, b, h) in table {
            assert!(!verify(s, &id(), ts, b, h), "{ts} {h}");
        }
        let unsigned = headers(None, &id(), 1795680000, body);
        assert_eq!(unsigned.len(), 2, "no secret, no signature");
    }
}
