//! Saved-object shapes: objects with typed attributes, references, bulk results, resolve outcomes, import results.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::KibanaErrorBody;

/// A reference from one saved object to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The referenced object's id.
    pub id: String,
    /// The referenced object's type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The reference's name within the referencing object.
    pub name: String,
}

impl Reference {
    /// A reference named `name` to `object_type`/`id`.
    pub fn new(name: impl Into<String>, object_type: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            object_type: object_type.into(),
            name: name.into(),
        }
    }
}

/// A saved object whose attributes are `A` (your own dashboard or visualization struct, or [`Value`]).
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Dashboard { title: String }
///
/// let object: kibana::saved_objects::SavedObject<Dashboard> = serde_json::from_value(serde_json::json!({
///     "id": "d1", "type": "dashboard", "attributes": {"title": "Sales"}, "references": []
/// })).unwrap();
/// assert_eq!(object.attributes.title, "Sales");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedObject<A = Value> {
    /// The id.
    pub id: String,
    /// The type, e.g. `dashboard`.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The attributes.
    pub attributes: A,
    /// References to other objects.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Optimistic-concurrency version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The spaces the object is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Last update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// One item of a bulk answer: the object, or why this item failed. Items are in request order.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkItem<A = Value> {
    /// The item succeeded.
    Ok(SavedObject<A>),
    /// The item failed; the other items are unaffected.
    Failed(BulkFailure),
}

impl<A> BulkItem<A> {
    /// The object, or `None` for a failed item.
    pub fn ok(self) -> Option<SavedObject<A>> {
        match self {
            Self::Ok(object) => Some(object),
            Self::Failed(_) => None,
        }
    }
}

/// Why one bulk item failed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BulkFailure {
    /// The item's id.
    pub id: String,
    /// The item's type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// Kibana's error for the item.
    pub error: KibanaErrorBody,
}

/// How `resolve` found an object.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveOutcome {
    /// Found by its id.
    ExactMatch,
    /// Found through a legacy URL alias: the object's id is now `alias_target_id`.
    AliasMatch {
        /// The id to use from now on.
        alias_target_id: String,
    },
    /// An object with this id exists, and a legacy alias points at another one.
    Conflict {
        /// The alias's target.
        alias_target_id: String,
    },
}

/// A resolved object with its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved<A = Value> {
    /// The object.
    pub saved_object: SavedObject<A>,
    /// How it was found.
    pub outcome: ResolveOutcome,
}

#[derive(Deserialize)]
pub(crate) struct RawResolved {
    pub(crate) saved_object: Value,
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) alias_target_id: Option<String>,
}

/// One page of a find.
#[derive(Clone, Debug, PartialEq)]
pub struct FindPage<A = Value> {
    /// The page number (1-based).
    pub page: u64,
    /// Objects per page.
    pub per_page: u64,
    /// How many objects match in total.
    pub total: u64,
    /// This page's objects.
    pub saved_objects: Vec<SavedObject<A>>,
}

/// A failed object of an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImportFailure {
    /// The object's id.
    pub id: String,
    /// The object's type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// Its title, when it has one.
    #[serde(default)]
    pub title: Option<String>,
    /// Why: `{"type": "conflict"}`, `{"type": "missing_references", ...}`, `{"type": "unsupported_type"}`...
    pub error: Value,
    /// Everything else Kibana sent (`meta`...).
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

impl ImportFailure {
    /// The kind of error (`conflict`, `ambiguous_conflict`, `missing_references`, `unsupported_type`, `unknown`):
    /// never empty (`unknown` when Kibana gives no type, or an empty one).
    pub fn kind(&self) -> &str {
        self.error["type"]
            .as_str()
            .filter(|kind| !kind.is_empty())
            .unwrap_or("unknown")
    }
}

/// An imported object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportSuccess {
    /// The id in the file.
    pub id: String,
    /// The type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The id it was given, when it differs (new copies, resolved conflicts).
    #[serde(default)]
    pub destination_id: Option<String>,
    /// Whether it overwrote an existing object.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overwrite: bool,
    /// Everything else Kibana sent (`meta` with the title and icon, `managed`...).
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

/// The result of an import or of resolving import errors. Conflicts are reported here, per object, not as an HTTP
/// error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImportResult {
    /// Whether every object was imported.
    pub success: bool,
    /// How many were.
    pub success_count: u64,
    /// Those that were not, and why.
    #[serde(default)]
    pub errors: Vec<ImportFailure>,
    /// Those that were.
    #[serde(default)]
    pub success_results: Vec<ImportSuccess>,
    /// Everything else Kibana sent (`warnings`...).
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

/// The last line of an export: what was exported and what was missing.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExportDetails {
    /// Objects exported.
    pub exported_count: u64,
    /// References that point at missing objects.
    #[serde(default)]
    pub missing_ref_count: u64,
    /// Those references.
    #[serde(default)]
    pub missing_references: Vec<Value>,
    /// Objects left out (e.g. hidden types).
    #[serde(default)]
    pub excluded_objects_count: u64,
}

/// One line of an export.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportLine {
    /// An object.
    Object(SavedObject<Value>),
    /// The trailer (unless excluded).
    Details(ExportDetails),
}
