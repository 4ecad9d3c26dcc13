//! Clauses behind the generated (property and fuzz) expectations, which no fixed case cites.

use super::{Clause, Grade};

/// Every generated clause: the contract test counts them as cited.
pub const ALL: &[&Clause] = &[
    MANY_FAULTS,
    FILENAME_RULE,
    FILENAME_EDGE,
    NUMBER_RANGE,
    NESTING_DEPTH,
    LONE_SURROGATE,
    DUPLICATE_NAMES,
    UNKNOWN_FIELD,
    WRAPPED_VALUES,
    BATCH_OPERATION_SHAPE,
    BATCH_WELL_FORMED,
];

pub const MANY_FAULTS: &Clause = &Clause {
    anchor: "generated-many-faults",
    grade: Grade::Open,
    says: "several faults at once: the docs order no checks, so the type of any one of them is a correct reading",
};
pub const FILENAME_RULE: &Clause = &Clause {
    anchor: "generated-filename-rule",
    grade: Grade::Must,
    says: "filenames: only lowercase a-z, digits, _, -, . and space; anything else (uppercase, /, \\, control \
     characters, NUL, non-ASCII, empty) is INVALID_VALUE 422",
};
pub const FILENAME_EDGE: &Clause = &Clause {
    anchor: "generated-filename-edge",
    grade: Grade::Open,
    says: "no filename length limit is documented, nor whether `.` alone or a `..` inside a name is refused: 2xx \
     or INVALID_VALUE",
};
pub const NUMBER_RANGE: &Clause = &Clause {
    anchor: "generated-number-range",
    grade: Grade::Open,
    says: "RFC 8259 §9: a parser may limit the range of numbers (400); a value the type cannot hold is 422",
};
pub const NESTING_DEPTH: &Clause = &Clause {
    anchor: "generated-nesting-depth",
    grade: Grade::Open,
    says: "RFC 8259 §9: a parser may limit nesting depth (400); within the limit the value is judged as a field value",
};
pub const LONE_SURROGATE: &Clause = &Clause {
    anchor: "generated-lone-surrogate",
    grade: Grade::Open,
    says: "RFC 8259 §8.2: a lone surrogate escape is grammatical but not Unicode; receivers may reject it (400) or not",
};
pub const DUPLICATE_NAMES: &Clause = &Clause {
    anchor: "generated-duplicate-names",
    grade: Grade::Open,
    says: "RFC 8259 §4: with duplicate names the receiver's behaviour is unpredictable (400, or one value is used)",
};
pub const UNKNOWN_FIELD: &Clause = &Clause {
    anchor: "generated-unknown-field",
    grade: Grade::Open,
    says: "a field name the model lacks in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored",
};
pub const WRAPPED_VALUES: &Clause = &Clause {
    anchor: "generated-wrapped-values",
    grade: Grade::Open,
    says: "a wrapped body is well-formed; its values decide between 2xx and INVALID_VALUE 422",
};
pub const BATCH_OPERATION_SHAPE: &Clause = &Clause {
    anchor: "generated-batch-operation-shape",
    grade: Grade::Open,
    says: "an operation lacking `object`/`type`/`id`, a non-boolean `stop_on_error` or an extra key is not named \
     ill-formed by the docs: 400, or a 2xx with that operation failed",
};
pub const BATCH_WELL_FORMED: &Clause = &Clause {
    anchor: "generated-batch-well-formed",
    grade: Grade::Must,
    says: "a well-formed batch answers success with one result per operation (failures inside)",
};
