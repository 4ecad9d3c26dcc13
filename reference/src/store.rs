//! Per-account in-memory data: objects, the oplog and (through attachment fields) files.

use crate::values::Stored;
use chrono::{NaiveDateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// One stored object; absent fields are unset and read back as `null`.
#[derive(Clone, Debug)]
pub struct Object {
    pub id: Uuid,
    pub ty: &'static str,
    pub updated_at: NaiveDateTime,
    /// Creation order, the default list order (UUIDs carry none).
    pub created: u64,
    pub fields: BTreeMap<&'static str, Stored>,
}

/// Kinds of change the oplog records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// One oplog entry; `object` is the state after the change (the last state for a delete).
#[derive(Clone, Debug)]
pub struct OplogEntry {
    pub sequence: u64,
    pub operation: Operation,
    pub object: Object,
}

/// Everything one account holds.
#[derive(Debug, Default)]
pub struct AccountData {
    objects: BTreeMap<(&'static str, Uuid), Object>,
    oplog: Vec<OplogEntry>,
    created: u64,
}

impl AccountData {
    pub fn get(&self, ty: &str, id: Uuid) -> Option<&Object> {
        self.objects.iter().find(|((t, i), _)| *t == ty && *i == id).map(|(_, o)| o)
    }

    pub fn exists(&self, ty: &str, id: Uuid) -> bool {
        self.get(ty, id).is_some()
    }

    /// All objects of a type in creation order.
    pub fn list(&self, ty: &str) -> Vec<&Object> {
        let mut out: Vec<&Object> = self.objects.values().filter(|o| o.ty == ty).collect();
        out.sort_by_key(|o| o.created);
        out
    }

    fn log(&mut self, operation: Operation, object: Object) {
        let sequence = self.oplog.len() as u64 + 1;
        self.oplog.push(OplogEntry { sequence, operation, object });
    }

    /// Create an object with exactly these fields (None values are simply left unset).
    pub fn create(&mut self, ty: &'static str, id: Uuid, fields: BTreeMap<&'static str, Option<Stored>>) -> Object {
        self.created += 1;
        let object = Object {
            id,
            ty,
            updated_at: Utc::now().naive_utc(),
            created: self.created,
            fields: fields.into_iter().filter_map(|(k, v)| Some((k, v?))).collect(),
        };
        self.objects.insert((ty, id), object.clone());
        self.log(Operation::Create, object.clone());
        object
    }

    /// Apply changes to an existing object; `replace` clears every field not named (PUT).
    pub fn update(
        &mut self,
        ty: &'static str,
        id: Uuid,
        changes: BTreeMap<&'static str, Option<Stored>>,
        replace: bool,
    ) -> Option<Object> {
        let object = self.objects.get_mut(&(ty, id))?;
        if replace {
            object.fields.clear();
        }
        for (key, value) in changes {
            match value {
                Some(v) => object.fields.insert(key, v),
                None => object.fields.remove(key),
            };
        }
        object.updated_at = Utc::now().naive_utc();
        let snapshot = object.clone();
        self.log(Operation::Update, snapshot.clone());
        Some(snapshot)
    }

    pub fn delete(&mut self, ty: &'static str, id: Uuid) -> Option<Object> {
        let object = self.objects.remove(&(ty, id))?;
        self.log(Operation::Delete, object.clone());
        Some(object)
    }

    pub fn oplog(&self) -> &[OplogEntry] {
        &self.oplog
    }

    /// The stored value of a file still held by some object, so a write may refer to it by `{field}_id`.
    pub fn file_value(&self, id: Uuid) -> Option<Stored> {
        self.objects
            .values()
            .flat_map(|o| o.fields.values())
            .find(|v| matches!(v, Stored::File { id: fid, .. } if *fid == id))
            .cloned()
    }

    /// A file still referenced by some current object's field, by its ID and capability token (compared
    /// in full); deleted objects take their files along.
    pub fn file(&self, id: Uuid, token: &str) -> Option<(&str, &[u8])> {
        self.objects.values().flat_map(|o| o.fields.values()).find_map(|v| match v {
            Stored::File { id: fid, filename, bytes, token: t } if *fid == id && crate::auth::same_secret(t, token) => {
                Some((filename.as_str(), bytes.as_slice()))
            }
            _ => None,
        })
    }
}

/// All accounts' data behind one lock: simple, and every request's change is atomic.
#[derive(Debug, Default)]
pub struct Store {
    accounts: Mutex<HashMap<String, AccountData>>,
}

impl Store {
    /// A store with an empty data set for each account ID.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Store {
        let map = ids.into_iter().map(|id| (id.to_string(), AccountData::default())).collect();
        Store { accounts: Mutex::new(map) }
    }

    /// Lock the store; a poisoned lock is taken over, since every change is applied whole or not at all.
    pub fn lock(&self) -> MutexGuard<'_, HashMap<String, AccountData>> {
        self.accounts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_update_delete_are_logged_in_order() {
        let mut data = AccountData::default();
        let id = Uuid::new_v4();
        let mut fields = BTreeMap::new();
        fields.insert("name", Some(Stored::Text("a".into())));
        fields.insert("count", None);
        let created = data.create("task", id, fields);
        assert_eq!(created.fields.len(), 1);
        let mut patch = BTreeMap::new();
        patch.insert("count", Some(Stored::Integer(2)));
        let updated = data.update("task", id, patch.clone(), false).unwrap();
        assert_eq!(updated.fields.len(), 2);
        let replaced = data.update("task", id, patch, true).unwrap();
        assert_eq!(replaced.fields.keys().copied().collect::<Vec<_>>(), vec!["count"]);
        assert!(data.delete("task", id).is_some());
        assert!(data.delete("task", id).is_none());
        assert!(data.update("task", id, BTreeMap::new(), false).is_none());
        let ops: Vec<_> = data.oplog().iter().map(|e| (e.sequence, e.operation)).collect();
        assert_eq!(
            ops,
            vec![(1, Operation::Create), (2, Operation::Update), (3, Operation::Update), (4, Operation::Delete)]
        );
    }
}
