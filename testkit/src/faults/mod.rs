//! Named deviations from the contract, each modelling a real-world bug and tied to one spec clause.
//! Wrapped around the reference ([`layer::router`]) they measure what the suite catches: a fault is
//! *killed* when at least one case fails against it ([`score`]), and the suite is only worth the
//! faults it kills.

mod auth;
mod body;
mod capability;
mod client_db;
mod client_ignored;
mod client_writes;
mod clients;
mod consistency;
mod echoes;
mod filters;
mod fuzz_only;
mod isolation;
pub mod layer;
mod pages;
mod relations;
mod requests;
mod responses;
mod retried;
mod routing;
#[cfg(feature = "http")]
pub mod score;
mod stateful;
mod table;
mod table_clients;
mod table_depth;
mod table_fuzz;
pub mod target;

pub use fuzz_only::LONG_URI;
use journey_conformance::oracle::Profile;
pub use table::ALL;

/// One deliberate deviation: what real bug it models, which clause it breaks, and how it is made.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    /// Stable name, used in the mutation table and in test names.
    pub name: &'static str,
    /// The spec clause the deviation breaks.
    pub clause: &'static str,
    /// The real-world bug it stands for.
    pub bug: &'static str,
    pub kind: Kind,
    /// The profile the suite runs in when scoring it (the documented quirk is only a fault under `strict`).
    pub profile: Profile,
    /// Whether the suite signs in with Bearer tokens when scoring it (a token fault is out of reach of Basic).
    pub bearer: bool,
    /// What the mutation score runs against it.
    pub caught_by: Catcher,
    /// When set, the case-ID prefix every killer must have: the fault is the proof of that group's checks,
    /// so a kill by any other case means the group is not what catches it.
    pub killed_within: Option<&'static str>,
}

/// What must notice a fault for the mutation score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catcher {
    /// The suite's fixed cases (what users run).
    Cases,
    /// The stateful property (testkit): the deviation shows only across a sequence of requests no
    /// fixed case makes, e.g. an oplog read after a batch.
    StatefulProperty,
    /// The HTTP fuzz targets (`fuzz/`, `--features http`): the deviation shows only on an input no
    /// fixed case sends, so the fixed cases must pass against it (`tests/mutation.rs` checks they
    /// do) and `scripts/fuzz-kill-table.sh` measures which fuzz target kills it.
    Fuzz,
}

/// How a fault is made; the layer dispatches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    // Response rewrites (responses.rs).
    Status405,
    MissingSee,
    TextPlainErrors,
    ServerErrorOnBadRequest,
    StackTraceInDetail,
    EchoAuthorization,
    HtmlNotFound,
    TypeStatusMismatch,
    PlainText401,
    PoweredByHeader,
    ErrorsAs200,
    Forbidden403,
    SqlErrorOnBadId,
    UndocumentedType,
    SeeWithoutFragment,
    WrongSeeFragment,
    SlowQueryHeader,
    // A limiter whose refusals only a retry sees (retried.rs).
    RateLimitTextPlain,
    RateLimitTextPlainWrites,
    RetryAfterMilliseconds,
    // Request rewrites (requests.rs).
    LenientJson,
    UnwrappedBodyAccepted,
    UppercaseIdAccepted,
    TrailingSlashTolerated,
    CredentialsIgnoredOnOplog,
    ForeignAccountAccess,
    BadFilenameAccepted,
    LooseTypes,
    // Credential compares a little off (auth.rs).
    PasswordPrefixCompare,
    PasswordCaseInsensitive,
    PasswordTrimmed,
    UserNotChecked,
    TokenPrefixCompare,
    // Stateful deviations that call the inner router for extra requests (stateful.rs).
    StaleReadAfterDelete,
    HalfAppliedPatch,
    FailedCreateLeavesObject,
    BatchStopOnErrorIgnored,
    IllFormedBatchHalfApplied,
    // A later read disagrees with an earlier write (consistency.rs).
    StaleReadAfterUpdate,
    BatchPatchReplaces,
    OplogMissingBatchWrites,
    ListLagsDelete,
    DeleteLeavesObject,
    // One account's read or batch path reaches another's data (isolation.rs).
    ListLeaksForeign,
    FilteredListLeaksForeign,
    QueryJsonLeaksForeign,
    OplogLeaksForeign,
    BatchReachesForeign,
    RelationReachesForeign,
    // A route, format or parameter the vendor clients use, missing or refused (clients.rs).
    EmptyPagingRefused,
    SortWordsOnly,
    SortDirectionUnsigned,
    TotalRefused,
    EmbedRefused,
    OplogSequenceIdsRefused,
    DataModelXmlMissing,
    DataModelSuffixRequired,
    ListSuffixRequired,
    ListXmlMissing,
    InfoMissing,
    IndexesMissing,
    UpdatedAtSortRefused,
    // A body the vendor clients send, refused or misapplied (client_writes.rs).
    FormBodyRefused,
    QueryNullSkipRefused,
    BatchPutAsCreate,
    BatchDeleteStopsOnError,
    LocationTimestampRefused,
    // Something the vendor clients send, taken and quietly dropped (client_ignored.rs).
    EmbedIgnored,
    SortIgnored,
    DataModelXmlAsJson,
    ListXmlAsJson,
    LocationTimestampDropped,
    // What a list filter or search matches (filters.rs).
    ContainsCaseInsensitive,
    // The docs' search: missing, or not scoped by account (clients.rs, isolation.rs).
    SearchMissing,
    SearchStubEmpty,
    SearchLeaksForeign,
    // What a list-shaped answer or the oplog carries, read past or miscounted (pages.rs).
    SkipIgnored,
    CountIsTotal,
    SortUppercaseIgnored,
    QueryJsonAsList,
    SearchListsAll,
    OplogNextStartRepeats,
    OplogTailFromStart,
    // Routing and parsing habits of frameworks (routing.rs).
    CredentialsIgnoredOnInfo,
    ObjectXmlAsJson,
    MethodOverrideHonored,
    CaseInsensitiveRoutes,
    VendorRoutesAnyMethod,
    LoneSurrogate500,
    // What should never come back, in forms a raw search misses (echoes.rs).
    EchoPasswordEscaped,
    DebugKeyOnSuccess,
    // What the vendor's db client sends, misread or refused (client_db.rs).
    QueryEqIgnoresCase,
    QueryOrBindsTighter,
    QueryStartsWithAsContains,
    QueryNotInAsIn,
    QueryInTakesFirst,
    LocationArrayRefused,
    AttachmentNeedsCredentials,
    TotalOnlyWhenAsked,
    TokenSchemeRefused,
    // An attachment URL, a capability, shown to another account (capability.rs).
    CapabilityUrlShared,
    CapabilityTokenUnchecked,
    // What only a fuzzer's input reaches (fuzz_only.rs).
    DuplicateFieldServerError,
    AstralQueryServerError,
    LongUriRefused,
}

pub(super) const fn fault(name: &'static str, clause: &'static str, bug: &'static str, kind: Kind) -> Fault {
    Fault {
        name,
        clause,
        bug,
        kind,
        profile: Profile::Documented,
        bearer: false,
        caught_by: Catcher::Cases,
        killed_within: None,
    }
}

/// The reference's configuration as the reference behind `fault` needs it (accounts whose passwords
/// the fault's echo can be told from the raw one); call before building its router.
pub fn configure(fault: &Fault, config: &mut journey_reference::Config) {
    echoes::configure(fault.kind, config);
}

/// The fault with this name.
pub fn find(name: &str) -> Option<&'static Fault> {
    ALL.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_kinds_are_unique_and_every_fault_cites_a_clause() {
        let names: HashSet<_> = ALL.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), ALL.len());
        let kinds: HashSet<_> = ALL.iter().map(|f| format!("{:?}", f.kind)).collect();
        assert_eq!(kinds.len(), ALL.len());
        assert!(ALL.len() >= 20);
        for f in ALL {
            assert!(f.clause.starts_with('§') && !f.bug.is_empty(), "{}", f.name);
            assert!(f.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", f.name);
        }
    }
}
