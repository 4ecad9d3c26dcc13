//! `info.json` (what the deployment is) and `indexes.json` (the indexes per model), the two
//! documents the vendor's backend client reads besides the data model and the oplog.

use crate::model;
use serde_json::{json, Map, Value};

/// When this emulator's indexes "exist" from: a fixed instant, so answers are stable.
const SINCE: &str = "2024-01-01T00:00:00Z";

/// A 24-hex ID derived from the account, standing in for the app and organisation IDs.
fn object_id(account: &str, salt: u8) -> String {
    let hash = account.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ u64::from(salt), |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{:08x}{hash:016x}", u32::from(salt) * 0x0101_0101)
}

/// The deployment's description; nothing in it is secret.
pub fn info(account: &str) -> Value {
    json!({
        "label": "Reference",
        "app_label": "journey-reference",
        "app_id": object_id(account, 1),
        "org_id": object_id(account, 2),
        "region": "local",
        "environment": "testing",
        "last_deployed_at": SINCE,
        "deployed_by_name": "journey-reference",
        "deployed_by_email": null,
    })
}

fn index(key: Value, name: String, ty: &str) -> Value {
    json!({ "key": key, "name": name, "status": "ready", "type": ty, "usage_stats": { "queries": 0, "since": SINCE } })
}

/// Every model's indexes: the internal ID index, plus one per belongs-to relation.
pub fn indexes() -> Value {
    let models: Map<String, Value> = model::all()
        .iter()
        .map(|m| {
            let mut list = vec![index(json!({ "_id": 1 }), "_id_".into(), "internal")];
            list.extend(m.belongs_to.iter().map(|b| index(json!({ b.field: 1 }), format!("{}_1", b.field), "schema")));
            (m.name.to_string(), json!({ "indexes": list }))
        })
        .collect();
    json!({ "models": models })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_has_object_ids_and_indexes_cover_every_model() {
        let doc = info("acc");
        for key in ["app_id", "org_id"] {
            let id = doc[key].as_str().unwrap();
            assert!(id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        }
        assert_ne!(info("acc")["app_id"], info("other")["app_id"]);
        let all = indexes();
        assert_eq!(all["models"]["category"]["indexes"][0]["key"], json!({"_id": 1}));
        assert_eq!(all["models"]["task"]["indexes"][1]["name"], "category_id_1");
        assert_eq!(all["models"].as_object().unwrap().len(), model::all().len());
    }
}
