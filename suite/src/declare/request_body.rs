//! A request body as a case declares it: bytes, or a padded body that is made while it is sent.
//!
//! The over-limit cases send bodies of several MiB (`JOURNEY_API_OVERSIZE_BYTES`) whose only point is
//! their size. Held as bytes, they stay resident the whole run (and every soak pass); padded, they cost
//! their frame, and go out in chunks of one shared static run of filler.

use bytes::Bytes;
use std::borrow::Cow;

/// The byte a padded body repeats (a JSON string's content, so the body stays valid JSON).
pub const FILL: u8 = b'a';

/// The filler a padded body is sent in, one chunk at a time; also what the echo check sees of it.
static FILLER: [u8; FILLER_CHUNK] = [FILL; FILLER_CHUNK];
const FILLER_CHUNK: usize = 64 * 1024;

/// A request body: what the case sends, the client streams, the oracle's echo check reads, and
/// reports excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Exactly these bytes.
    Bytes(Bytes),
    /// `head`, then `fill` times [`FILL`], then `tail`: never held whole.
    Padded { head: Bytes, fill: usize, tail: Bytes },
}

impl Body {
    /// A body of exactly `total` bytes (or its frame alone, if that is longer): `head`, filler, `tail`.
    pub fn padded(head: impl Into<Bytes>, total: usize, tail: impl Into<Bytes>) -> Body {
        let (head, tail) = (head.into(), tail.into());
        let fill = total.saturating_sub(head.len() + tail.len());
        Body::Padded { head, fill, tail }
    }

    /// Its length in bytes, as sent.
    pub fn len(&self) -> usize {
        match self {
            Body::Bytes(b) => b.len(),
            Body::Padded { head, fill, tail } => head.len() + fill + tail.len(),
        }
    }

    /// Whether nothing is sent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when the body is held whole (a padded one is not).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Body::Bytes(b) => Some(b),
            Body::Padded { .. } => None,
        }
    }

    /// Its first `n` bytes (fewer if shorter), for excerpts and repro lines.
    pub fn prefix(&self, n: usize) -> Cow<'_, [u8]> {
        match self {
            Body::Bytes(b) => Cow::Borrowed(&b[..n.min(b.len())]),
            Body::Padded { head, .. } if head.len() >= n => Cow::Borrowed(&head[..n]),
            Body::Padded { .. } => Cow::Owned(self.gather(n)),
        }
    }

    /// Every byte in one buffer: for in-process targets and tests, which need a buffer anyway.
    pub fn to_bytes(&self) -> Bytes {
        match self {
            Body::Bytes(b) => b.clone(),
            Body::Padded { .. } => self.gather(self.len()).into(),
        }
    }

    /// Its first `n` bytes in one new buffer.
    fn gather(&self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n.min(self.len()));
        for chunk in self.chunks() {
            let room = n - out.len();
            out.extend_from_slice(&chunk[..room.min(chunk.len())]);
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// What the echo check may find a response's text in: the bytes, or a padded body's head, tail and
    /// a chunk of its filler. A match spanning the head and the filler is not excused; none of the
    /// leak patterns matches a run of one letter.
    pub fn sent_parts(&self) -> Vec<&[u8]> {
        match self {
            Body::Bytes(b) => vec![b],
            Body::Padded { head, fill, tail } => vec![head, &FILLER[..(*fill).min(FILLER_CHUNK)], tail],
        }
    }

    /// The body in the pieces it is sent in, in order; none is copied.
    pub fn chunks(&self) -> impl Iterator<Item = Bytes> + Send + 'static {
        let (head, fill, tail) = match self {
            Body::Bytes(b) => (b.clone(), 0, Bytes::new()),
            Body::Padded { head, fill, tail } => (head.clone(), *fill, tail.clone()),
        };
        let filler = (0..fill.div_ceil(FILLER_CHUNK))
            .map(move |i| Bytes::from_static(&FILLER[..FILLER_CHUNK.min(fill - i * FILLER_CHUNK)]));
        std::iter::once(head).chain(filler).chain(std::iter::once(tail)).filter(|c| !c.is_empty())
    }

    /// The body for reqwest: a padded one streams with its exact length, so it goes out with a
    /// `Content-Length`, as a body held whole does.
    #[cfg(feature = "http")]
    pub fn to_reqwest(&self) -> reqwest::Body {
        match self {
            Body::Bytes(b) => reqwest::Body::from(b.clone()),
            Body::Padded { .. } => {
                reqwest::Body::wrap(Chunked { chunks: self.chunks().collect(), left: self.len() as u64 })
            }
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body::Bytes(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::Bytes(bytes.into())
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::Bytes(text.into())
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Body::Bytes(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Body {
        Body::Bytes(Bytes::from_static(bytes))
    }
}

/// A padded body as an HTTP body whose size is known, so hyper sends `Content-Length`.
#[cfg(feature = "http")]
struct Chunked {
    chunks: std::collections::VecDeque<Bytes>,
    left: u64,
}

#[cfg(feature = "http")]
impl http_body::Body for Chunked {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.chunks.pop_front();
        if let Some(chunk) = &next {
            self.left -= chunk.len() as u64;
        }
        std::task::Poll::Ready(next.map(|c| Ok(http_body::Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_body_has_the_asked_length_and_reads_as_its_frame_around_filler() {
        let body = Body::padded(&b"{\"t\":\""[..], 200_000, &b"\"}"[..]);
        assert_eq!(body.len(), 200_000);
        let whole = body.to_bytes();
        assert_eq!(whole.len(), 200_000);
        assert!(whole.starts_with(b"{\"t\":\"aaa") && whole.ends_with(b"aa\"}"));
        assert!(serde_json::from_slice::<serde_json::Value>(&whole).is_ok());
        assert_eq!(body.chunks().map(|c| c.len()).sum::<usize>(), 200_000);
        assert_eq!(&*body.prefix(8), b"{\"t\":\"aa");
        assert!(body.as_bytes().is_none());
    }

    #[test]
    fn a_frame_longer_than_asked_is_sent_whole() {
        let body = Body::padded(&b"{\"t\":\""[..], 3, &b"\"}"[..]);
        assert_eq!(body.to_bytes(), Bytes::from_static(b"{\"t\":\"\"}"));
    }

    #[test]
    fn plain_bytes_are_one_chunk_and_their_own_sent_part() {
        let body = Body::from(b"{}".to_vec());
        assert_eq!(body.chunks().collect::<Vec<_>>(), vec![Bytes::from_static(b"{}")]);
        assert_eq!(body.sent_parts(), vec![&b"{}"[..]]);
        assert_eq!(Body::from(Vec::new()).chunks().count(), 0);
    }
}
