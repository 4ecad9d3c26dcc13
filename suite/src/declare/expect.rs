//! What a case allows as an answer: one outcome, or an outcome set where the docs are open (an OPEN clause of `docs/contract.md`).

use crate::declare::error_type::ErrorType;
use std::fmt;

/// One acceptable answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The documented error: its status, and (unless HEAD) a body carrying this `type`.
    Error(ErrorType),
    /// Any 2xx: the operation happened (the docs fix no particular success status).
    Success,
    /// 200 or 204 with an empty body, e.g. a CORS preflight answer to OPTIONS.
    EmptySuccess,
    /// A 3xx with a `Location` header: the documented answer to an attachment fetch.
    Redirect,
}

/// The allowed outcomes of one case, and the doc sentence that makes a set necessary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// Every answer that is a correct reading of the docs; never empty.
    pub outcomes: Vec<Outcome>,
    /// Why more than one outcome is allowed (its OPEN clause); `None` for a single documented answer.
    pub why: Option<&'static crate::declare::spec::Clause>,
}

impl Expect {
    /// A single documented error type.
    pub fn error(t: ErrorType) -> Expect {
        Expect { outcomes: vec![Outcome::Error(t)], why: None }
    }

    /// Any 2xx.
    pub fn success() -> Expect {
        Expect { outcomes: vec![Outcome::Success], why: None }
    }

    /// An outcome set, tied to the doc sentence that leaves the answer open.
    pub fn any_of(outcomes: &[Outcome], why: &'static crate::declare::spec::Clause) -> Expect {
        let mut outcomes = outcomes.to_vec();
        outcomes.sort();
        outcomes.dedup();
        Expect { outcomes, why: Some(why) }
    }

    /// Whether a 2xx can be a correct answer to this case.
    pub fn allows_success(&self) -> bool {
        self.outcomes.iter().any(|o| matches!(o, Outcome::Success | Outcome::EmptySuccess))
    }

    /// Whether a 3xx can be a correct answer (only attachment fetches).
    pub fn allows_redirect(&self) -> bool {
        self.outcomes.contains(&Outcome::Redirect)
    }

    /// The error types in this set, in order.
    pub fn error_types(&self) -> impl Iterator<Item = ErrorType> + '_ {
        self.outcomes.iter().filter_map(|o| match o {
            Outcome::Error(t) => Some(*t),
            _ => None,
        })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Error(t) => write!(f, "{} {}", t.status(), t),
            Outcome::Success => f.write_str("2xx"),
            Outcome::EmptySuccess => f.write_str("200/204-empty"),
            Outcome::Redirect => f.write_str("3xx"),
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.outcomes.iter().map(|o| o.to_string()).collect();
        f.write_str(&parts.join(" | "))
    }
}
