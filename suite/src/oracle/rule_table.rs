//! The macro behind the one rule table in `oracle/mod.rs`: from one row per rule it makes the `Rule`
//! enum, its list, the clause each rests on and the label reports print, so no second list exists.

/// One row per rule: its doc comment, then `Variant => clause, "label";`, the clause being
/// `Some(clauses::X)` or `None` for an outcome rule (whose clause is the case's own).
macro_rules! rule_table {
    ($($(#[doc = $doc:literal])+ $variant:ident => $clause:expr, $label:literal;)+) => {
        /// The spec rule a violation breaks; each has its own clause ([`Rule::clause`]), whose grade is the level.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: [Rule; [$($label),+].len()] = [$(Rule::$variant),+];

            /// The clause this rule rests on; `None` for the outcome rules, whose clause is the case's own.
            pub fn clause(self) -> Option<&'static Clause> {
                match self {
                    $(Rule::$variant => $clause,)+
                }
            }
        }

        impl fmt::Display for Rule {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(match self {
                    $(Rule::$variant => $label,)+
                })
            }
        }
    };
}

pub(crate) use rule_table;
