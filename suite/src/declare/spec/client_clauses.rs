//! What the vendor's own clients send and read, stated by the v4 docs pages they implement; the
//! `clients` family's controls rest on these, and each must succeed on a conforming target.

use super::{Clause, Grade};

pub const EMPTY_PAGING: &Clause = &Clause {
    anchor: "clients-empty-paging",
    grade: Grade::Must,
    says: "Retrieve All Objects: limit and skip are optional; the vendor's db client sends them empty \
           (`limit=&skip=`) when it has none, which lists as if they were not given",
};
pub const SORT_NUMERIC: &Clause = &Clause {
    anchor: "clients-sort-numeric",
    grade: Grade::Must,
    says: "Sort Results: `sort[field]` takes a direction, 1 ascending or -1 descending, as the db client sends it",
};
pub const BATCH_EXPLICIT_IDS: &Clause = &Clause {
    anchor: "clients-batch-explicit-ids",
    grade: Grade::Must,
    says: "Batch: put, patch and delete operations name their object by type and id; without stop_on_error \
           each is applied and reported on its own",
};
pub const BATCH_DELETE_UNKNOWN: &Clause = &Clause {
    anchor: "clients-batch-delete-unknown",
    grade: Grade::Must,
    says: "Batch: each operation has its own result; a delete of an ID no object has fails that operation \
           with OBJECT_NOT_FOUND (which the db client treats as already deleted) and the batch still answers 200",
};
pub const LOCATION_TIMESTAMP: &Clause = &Clause {
    anchor: "clients-location-timestamp",
    grade: Grade::Must,
    says: "Field representations (locations): a location carries latitude, longitude, the optional altitude \
           and accuracies, and the timestamp of the fix",
};
pub const DATAMODEL_XML: &Clause = &Clause {
    anchor: "clients-datamodel-xml",
    grade: Grade::Must,
    says: "Data model: the data model is also served as XML (`datamodel.xml`), which the db client loads",
};
pub const QUERY_BODY: &Clause = &Clause {
    anchor: "clients-query-body",
    grade: Grade::Must,
    says: "Query: `POST objects/{type}/query.json` takes an expression with `?` placeholders, its arguments, \
           limit, skip and sort, and answers like Retrieve All Objects",
};
pub const OPLOG_PAGING: &Clause = &Clause {
    anchor: "clients-oplog-paging",
    grade: Grade::Must,
    says: "Oplog: with `sequence_ids=true` the answer carries entries, has_more and next_request_start, the \
           start of the next page",
};
pub const FORMAT_SUFFIX: &Clause = &Clause {
    anchor: "clients-format-suffix",
    grade: Grade::Must,
    says: "Retrieve a Single Object / Retrieve All Objects: the format segment is `json` or `xml`, or left out",
};
pub const FORM_BODY: &Clause = &Clause {
    anchor: "clients-form-body",
    grade: Grade::Must,
    says: "Update a Single Object: the example sends the fields form-encoded under the model name (`task[status]=1`)",
};
pub const INFO: &Clause = &Clause {
    anchor: "clients-info",
    grade: Grade::Should,
    says: "the vendor's typed client reads `info.json` and `indexes.json`; no public page we found states them, \
           so a target without them is a non-strict finding",
};
pub const LIST_TOTAL: &Clause = &Clause {
    anchor: "clients-list-total",
    grade: Grade::Must,
    says: "Retrieve All Objects: the answer's `total` is the number of all objects the query matched; \
           `total=true` as a URL parameter includes it",
};
pub const LIST_EMBED: &Clause = &Clause {
    anchor: "clients-list-embed",
    grade: Grade::Should,
    says: "Retrieve All Objects: related objects can optionally be embedded directly; we read `embed[]=<relation>` \
           as asking for that, with the related object under the relation's name beside its `<relation>_id`. No \
           public page we found gives the parameter or the shape, so a target without it is a non-strict finding",
};
pub const QUERY_LANGUAGE: &Clause = &Clause {
    anchor: "clients-query-language",
    grade: Grade::Must,
    says: "Query: `query.json`'s expression is the runtime's query language (the vendor's staff: \"just like in the \
           runtime\"): conditions `field OP ?` with =, !=, <, <=, >, >=, contains (ignoring case), starts with, in \
           and not in, joined by and/or and grouped by parentheses; the db client wraps every where() in \
           parentheses and fetches by ID with `id in ?`",
};
pub const LIST_TOTAL_DEFAULT: &Clause = &Clause {
    anchor: "clients-list-total-default",
    grade: Grade::Must,
    says: "Retrieve All Objects: the pagination data is `count`, `total` and `more`; `total` is left out by default \
           only for fetch calls made from CloudCode or OnlineDB, so the docs' plain list GET carries it",
};
pub const LOCATION_ARRAY: &Clause = &Clause {
    anchor: "clients-location-array",
    grade: Grade::Should,
    says: "the vendor's db client writes a location as the array [latitude, longitude, altitude, horizontal_accuracy, \
           vertical_accuracy, timestamp] (in its batches) and reads both forms; no public page states the array, so \
           a target that refuses it is a non-strict finding",
};
pub const ATTACHMENT_CAPABILITY: &Clause = &Clause {
    anchor: "clients-attachment-capability",
    grade: Grade::Should,
    says: "the vendor's db client downloads an attachment from its URL with a bare fetch, no Authorization: the URL \
           is a capability, which opens its file without credentials and nothing once its token is altered; no \
           public page states it, so a target whose URLs need credentials or take any token is a non-strict finding",
};
pub const TOKEN_SCHEME: &Clause = &Clause {
    anchor: "clients-token-scheme",
    grade: Grade::Should,
    says: "the vendor's db client sends its named token as `Authorization: Token <token>`; the docs give the header \
           as `Bearer` and never mention `Token`, so a target that refuses it is a non-strict finding",
};
