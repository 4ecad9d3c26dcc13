//! The macro behind the one family table in `declare/families.rs`: from one row per family it makes the
//! `Family` enum, its list, names, descriptions, opt-in flags and builders, so no second list exists.

/// One row per family: `Variant => "name", module, opt_in, "what it sends";`: the row declares the
/// family's module (its file in `families/`) and calls its `cases(ctx)`.
macro_rules! family_table {
    ($($variant:ident => $name:literal, $module:ident, $opt_in:literal, $about:literal;)+) => {
        $(pub mod $module;)+

        /// The case families; a case's ID starts with its family's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Family {
            $(#[doc = $about] $variant,)+
        }

        impl Family {
            /// Every family, in report order.
            pub const ALL: [Family; [$($name),+].len()] = [$(Family::$variant),+];

            /// The name used in case IDs, snapshots and summaries.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Family::$variant => $name,)+
                }
            }

            /// One line: what the family sends (for `--family` help and `list`).
            pub fn about(self) -> &'static str {
                match self {
                    $(Family::$variant => $about,)+
                }
            }

            /// Opt-in families run only when asked for (they burst past a real deployment's limit).
            pub fn opt_in(self) -> bool {
                match self {
                    $(Family::$variant => $opt_in,)+
                }
            }

            /// The family's cases for a target.
            pub fn cases(self, ctx: &crate::declare::ctx::Ctx) -> Vec<crate::declare::case::Case> {
                match self {
                    $(Family::$variant => $module::cases(ctx),)+
                }
            }
        }
    };
}

pub(crate) use family_table;
