//! [`Rules`]: the alerting rules API, blocking.

use std::sync::Arc;

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{Iter, runtime::Runtime};
use crate::{
    Error,
    rules::{FindRules, NewRule, Rule, RuleType, RuleTypeInfo, RulesPage},
};

/// The rules API of one space, blocking: [`kibana::rules::Rules`](crate::rules::Rules)'s methods, with the same
/// names and arguments; [`find_all`](Self::find_all) is a lazy [`Iter`].
///
/// ```no_run
/// use kibana::rules::FindRules;
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// for rule in client.rules().find_all(FindRules::all().search("cpu")) {
///     let rule = rule?;
///     println!("{} ({})", rule.name, rule.rule_type_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Rules {
    inner: crate::rules::Rules,
    runtime: Arc<Runtime>,
}

impl Rules {
    pub(crate) fn new(inner: crate::rules::Rules, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> Rules {
        Self::new(self.inner.in_space(space_id), self.runtime.clone())
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> Rules {
        Self::new(self.inner.in_default_space(), self.runtime.clone())
    }

    /// See [`Rules::create`](crate::rules::Rules::create).
    pub fn create<R: RuleType>(&self, rule: &NewRule<R::Params>) -> Result<Rule<R::Params>, Error> {
        self.runtime.block_on(self.inner.create::<R>(rule))
    }

    /// See [`Rules::create_with_id`](crate::rules::Rules::create_with_id).
    pub fn create_with_id<R: RuleType>(&self, id: &str, rule: &NewRule<R::Params>) -> Result<Rule<R::Params>, Error> {
        self.runtime.block_on(self.inner.create_with_id::<R>(id, rule))
    }

    /// See [`Rules::create_raw`](crate::rules::Rules::create_raw).
    pub fn create_raw(&self, id: Option<&str>, body: &Value) -> Result<Rule<Value>, Error> {
        self.runtime.block_on(self.inner.create_raw(id, body))
    }

    /// See [`Rules::get`](crate::rules::Rules::get).
    pub fn get(&self, id: &str) -> Result<Rule<Value>, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// See [`Rules::get_typed`](crate::rules::Rules::get_typed).
    pub fn get_typed<R: RuleType>(&self, id: &str) -> Result<Rule<R::Params>, Error> {
        self.runtime.block_on(self.inner.get_typed::<R>(id))
    }

    /// See [`Rules::update`](crate::rules::Rules::update).
    pub fn update<P: Serialize + DeserializeOwned>(&self, id: &str, rule: &NewRule<P>) -> Result<Rule<Value>, Error> {
        self.runtime.block_on(self.inner.update(id, rule))
    }

    /// See [`Rules::delete`](crate::rules::Rules::delete).
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(id))
    }

    /// See [`Rules::enable`](crate::rules::Rules::enable).
    pub fn enable(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.enable(id))
    }

    /// See [`Rules::disable`](crate::rules::Rules::disable).
    pub fn disable(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.disable(id))
    }

    /// See [`Rules::mute_all`](crate::rules::Rules::mute_all).
    pub fn mute_all(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.mute_all(id))
    }

    /// See [`Rules::unmute_all`](crate::rules::Rules::unmute_all).
    pub fn unmute_all(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.unmute_all(id))
    }

    /// See [`Rules::mute_alert`](crate::rules::Rules::mute_alert).
    pub fn mute_alert(&self, id: &str, alert_id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.mute_alert(id, alert_id))
    }

    /// See [`Rules::unmute_alert`](crate::rules::Rules::unmute_alert).
    pub fn unmute_alert(&self, id: &str, alert_id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.unmute_alert(id, alert_id))
    }

    /// See [`Rules::update_api_key`](crate::rules::Rules::update_api_key).
    pub fn update_api_key(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.update_api_key(id))
    }

    /// See [`Rules::find`](crate::rules::Rules::find).
    pub fn find(&self, options: &FindRules) -> Result<RulesPage<Value>, Error> {
        self.runtime.block_on(self.inner.find(options))
    }

    /// Every matching rule, page by page, each page fetched when the iterator reaches it: see
    /// [`Rules::find_all`](crate::rules::Rules::find_all).
    pub fn find_all(&self, options: FindRules) -> Iter<Rule<Value>> {
        Iter::new(self.inner.find_all(options), self.runtime.clone())
    }

    /// See [`Rules::health`](crate::rules::Rules::health).
    pub fn health(&self) -> Result<Value, Error> {
        self.runtime.block_on(self.inner.health())
    }

    /// See [`Rules::rule_types`](crate::rules::Rules::rule_types).
    pub fn rule_types(&self) -> Result<Vec<RuleTypeInfo>, Error> {
        self.runtime.block_on(self.inner.rule_types())
    }
}
