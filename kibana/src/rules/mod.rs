//! The alerting rules API: `client.rules()`, in the client's space or another one.
//!
//! The pinned alerting document publishes its routes only as `/s/{spaceId}/api/alerting/...`; the regen moves them
//! to `/api/alerting/...` so that the default space is called without a prefix, like every other namespace.
//! Create, update, get and find are hand-written with tolerant models (the generated request type is a 42-way
//! untagged `oneOf` that could silently drop fields); lifecycle calls go through the generated client.

mod model;
pub mod observability;
pub mod types;

use futures::{Stream, TryStreamExt, stream};
use kibana_gen::spec::routes;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

pub use model::{
    ActionFrequency, AlertsFilter, AlertsQuery, Hours, NewRule, NotifyWhen, Rule, RuleAction, RuleTypeInfo, RulesPage,
    Schedule, Timeframe,
};
pub use types::RuleType;

use crate::{Error, Kibana};

/// The rules API of one space.
///
/// ```no_run
/// use kibana::rules::{NewRule, Schedule, types::{IndexThreshold, IndexThresholdParams, ThresholdComparator, TimeUnit}};
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// let params = IndexThresholdParams::new(["logs-*"], "@timestamp", ThresholdComparator::GreaterThan, [1000.0], 5, TimeUnit::Minutes);
/// let rule = client.space("ops").rules().create::<IndexThreshold>(&NewRule::new("too many logs", "stackAlerts", Schedule::every("1m"), params)).await?;
/// client.space("ops").rules().disable(&rule.id).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Rules {
    client: Kibana,
}

impl Kibana {
    /// The alerting rules API, in this view's space.
    pub fn rules(&self) -> Rules {
        Rules { client: self.clone() }
    }
}

impl<P> NewRule<P> {
    /// A rule of a type (`R::RULE_TYPE_ID`), enabled, without actions or tags.
    pub fn new(name: impl Into<String>, consumer: impl Into<String>, schedule: Schedule, params: P) -> Self {
        Self {
            name: name.into(),
            rule_type_id: String::new(),
            consumer: consumer.into(),
            schedule,
            params,
            actions: Vec::new(),
            tags: Vec::new(),
            enabled: true,
        }
    }

    /// Adds an action.
    pub fn with_action(mut self, action: RuleAction) -> Self {
        self.actions.push(action);
        self
    }

    /// Sets the tags.
    pub fn with_tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Creates it disabled.
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
}

/// The fields of a rule update.
#[derive(Serialize)]
struct UpdateBody<'a, P: Serialize> {
    name: &'a str,
    schedule: &'a Schedule,
    params: &'a P,
    actions: &'a [RuleAction],
    tags: &'a [String],
}

/// What `find` looks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct FindRules {
    search: Option<String>,
    search_fields: Vec<String>,
    sort_field: Option<String>,
    sort_order: Option<String>,
    filter: Option<String>,
    per_page: Option<u64>,
    page: Option<u64>,
}

impl FindRules {
    /// Every rule.
    pub fn all() -> Self {
        Self::default()
    }

    /// A simple-query-string search.
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// The fields `search` looks in (`name`, `tags`...).
    pub fn search_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.search_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Sort by a field, ascending or not.
    pub fn sort_by(mut self, field: impl Into<String>, ascending: bool) -> Self {
        self.sort_field = Some(field.into());
        self.sort_order = Some(if ascending { "asc" } else { "desc" }.into());
        self
    }

    /// A KQL filter on rule attributes (`alert.attributes.tags: "prod"`).
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Rules per page (Kibana's default: 10).
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// The page (1-based).
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(v) = &self.search {
            query.append_pair("search", v);
        }
        for field in &self.search_fields {
            query.append_pair("search_fields", field);
        }
        if let Some(v) = &self.sort_field {
            query.append_pair("sort_field", v);
        }
        if let Some(v) = &self.sort_order {
            query.append_pair("sort_order", v);
        }
        if let Some(v) = &self.filter {
            query.append_pair("filter", v);
        }
        if let Some(v) = self.per_page {
            query.append_pair("per_page", &v.to_string());
        }
        if let Some(v) = self.page {
            query.append_pair("page", &v.to_string());
        }
        query.finish()
    }
}

fn typed<R: RuleType>(rule: Rule<Value>, space: Option<String>) -> Result<Rule<R::Params>, Error> {
    if rule.rule_type_id != R::RULE_TYPE_ID {
        return Err(Error::RuleTypeMismatch(Box::new(crate::error::RuleTypeMismatch {
            rule_id: rule.id,
            expected: R::RULE_TYPE_ID,
            actual: rule.rule_type_id,
            space,
        })));
    }
    let params = serde_json::from_value(rule.params.clone()).map_err(|e| {
        Error::InvalidRequest(format!(
            "rule {} has {} params this SDK cannot read: {e}",
            rule.id,
            R::RULE_TYPE_ID
        ))
    })?;
    Ok(Rule {
        id: rule.id,
        name: rule.name,
        rule_type_id: rule.rule_type_id,
        consumer: rule.consumer,
        enabled: rule.enabled,
        schedule: rule.schedule,
        params,
        actions: rule.actions,
        tags: rule.tags,
        mute_all: rule.mute_all,
        muted_alert_ids: rule.muted_alert_ids,
        notify_when: rule.notify_when,
        throttle: rule.throttle,
        created_at: rule.created_at,
        updated_at: rule.updated_at,
        execution_status: rule.execution_status,
    })
}

impl Rules {
    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> Rules {
        Rules {
            client: self.client.space(space_id),
        }
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> Rules {
        Rules {
            client: self.client.default_space(),
        }
    }

    /// Creates a typed rule with a new random id (a UUID, the form Kibana gives the ids it chooses).
    pub async fn create<R: RuleType>(&self, rule: &NewRule<R::Params>) -> Result<Rule<R::Params>, Error> {
        self.create_typed::<R>(None, rule).await
    }

    /// Creates a typed rule with your id; a taken id is [`Error::Conflict`].
    pub async fn create_with_id<R: RuleType>(
        &self,
        id: &str,
        rule: &NewRule<R::Params>,
    ) -> Result<Rule<R::Params>, Error> {
        self.create_typed::<R>(Some(id), rule).await
    }

    async fn create_typed<R: RuleType>(
        &self,
        id: Option<&str>,
        rule: &NewRule<R::Params>,
    ) -> Result<Rule<R::Params>, Error> {
        let mut body =
            serde_json::to_value(rule).map_err(|e| Error::InvalidRequest(format!("cannot encode the rule: {e}")))?;
        body["rule_type_id"] = Value::String(R::RULE_TYPE_ID.to_owned());
        let created = self.create_raw(id, &body).await?;
        typed::<R>(created, self.client.space_name())
    }

    /// Creates a rule of any type from raw JSON (the whole body, `rule_type_id` included); without an `id`, a new
    /// random one (Kibana 9's document describes only the create route with an id).
    pub async fn create_raw(&self, id: Option<&str>, body: &Value) -> Result<Rule<Value>, Error> {
        let id = id.map_or_else(crate::ids::random_id, str::to_owned);
        self.client
            .route(&routes::POST_ALERTING_RULE_ID, &[&id])
            .send(Some(body))
            .await
    }

    /// A rule, with raw params.
    pub async fn get(&self, id: &str) -> Result<Rule<Value>, Error> {
        self.client
            .route(&routes::GET_ALERTING_RULE_ID, &[id])
            .send::<(), _>(None)
            .await
    }

    /// A rule of a known type; another type is a clear error.
    pub async fn get_typed<R: RuleType>(&self, id: &str) -> Result<Rule<R::Params>, Error> {
        typed::<R>(self.get(id).await?, self.client.space_name())
    }

    /// Replaces a rule's name, schedule, params, actions and tags.
    pub async fn update<P: Serialize + DeserializeOwned>(
        &self,
        id: &str,
        rule: &NewRule<P>,
    ) -> Result<Rule<Value>, Error> {
        let body = UpdateBody {
            name: &rule.name,
            schedule: &rule.schedule,
            params: &rule.params,
            actions: &rule.actions,
            tags: &rule.tags,
        };
        self.client
            .route(&routes::PUT_ALERTING_RULE_ID, &[id])
            .send(Some(&body))
            .await
    }

    /// Deletes a rule.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.delete_alerting_rule_id(id).await })
            .await
            .map(drop)
    }

    /// Enables a rule.
    pub async fn enable(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_id_enable(id).await })
            .await
            .map(drop)
    }

    /// Disables a rule.
    pub async fn disable(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_id_disable(id, None).await })
            .await
            .map(drop)
    }

    /// Mutes every alert of a rule.
    pub async fn mute_all(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_id_mute_all(id).await })
            .await
            .map(drop)
    }

    /// Unmutes every alert of a rule.
    pub async fn unmute_all(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_id_unmute_all(id).await })
            .await
            .map(drop)
    }

    /// Mutes one alert of a rule.
    pub async fn mute_alert(&self, id: &str, alert_id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_rule_id_alert_alert_id_mute(id, alert_id).await })
            .await
            .map(drop)
    }

    /// Unmutes one alert of a rule.
    pub async fn unmute_alert(&self, id: &str, alert_id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_rule_id_alert_alert_id_unmute(id, alert_id).await })
            .await
            .map(drop)
    }

    /// Replaces the rule's API key with one for the caller.
    pub async fn update_api_key(&self, id: &str) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.post_alerting_rule_id_update_api_key(id).await })
            .await
            .map(drop)
    }

    /// One page of rules.
    pub async fn find(&self, options: &FindRules) -> Result<RulesPage<Value>, Error> {
        self.client
            .route(&routes::GET_ALERTING_RULES_FIND, &[])
            .encoded_query(&options.query())
            .send::<(), _>(None)
            .await
    }

    /// Every matching rule, page by page, fetched as the stream is read.
    pub fn find_all(&self, options: FindRules) -> impl Stream<Item = Result<Rule<Value>, Error>> + Send + 'static {
        let rules = self.clone();
        let first = options.page.unwrap_or(1);
        let options = options.clone().per_page(options.per_page.unwrap_or(100));
        stream::try_unfold(
            (rules, options, first, false),
            |(rules, options, page, done)| async move {
                if done {
                    return Ok::<_, Error>(None);
                }
                let found = rules.find(&options.clone().page(page)).await?;
                let done = found.data.is_empty() || found.page * found.per_page >= found.total;
                Ok(Some((found.data, (rules, options, page + 1, done))))
            },
        )
        .map_ok(|rules| stream::iter(rules.into_iter().map(Ok)))
        .try_flatten()
    }

    /// The alerting framework's health.
    pub async fn health(&self) -> Result<Value, Error> {
        self.client
            .route(&routes::GET_ALERTING_HEALTH, &[])
            .send::<(), _>(None)
            .await
    }

    /// The rule types.
    pub async fn rule_types(&self) -> Result<Vec<RuleTypeInfo>, Error> {
        self.client
            .route(&routes::GET_ALERTING_RULE_TYPES, &[])
            .send::<(), _>(None)
            .await
    }
}
