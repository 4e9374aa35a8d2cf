//! [`Kibana::pull`]: what a Kibana has, as declared state, so that adopting it is pull, commit, plan (empty).

use std::collections::BTreeSet;

use super::{
    DeclaredState, Kind, Ownership,
    kinds::{self, Pulled},
    plan::observe,
};
use crate::{Error, Kibana};

/// What [`Kibana::pull`] reads: which spaces (all by default), which kinds (all by default), and whether only
/// objects this tool owns.
///
/// ```
/// use kibana::config::{Kind, PullScope};
///
/// let scope = PullScope::all().spaces(["ops", "default"]).kinds([Kind::Connector, Kind::Rule]);
/// # let _ = scope;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct PullScope {
    spaces: Option<BTreeSet<String>>,
    kinds: BTreeSet<Kind>,
    owned_only: bool,
    ownership: Ownership,
    concurrency: usize,
}

impl PullScope {
    /// Every kind in every space.
    pub fn all() -> Self {
        Self {
            spaces: None,
            kinds: Kind::ALL.into_iter().collect(),
            owned_only: false,
            ownership: Ownership::default(),
            concurrency: 8,
        }
    }

    /// Only these spaces (spaces themselves, and what lives in them).
    pub fn spaces<I: IntoIterator<Item = S>, S: Into<String>>(mut self, spaces: I) -> Self {
        self.spaces = Some(spaces.into_iter().map(Into::into).collect());
        self
    }

    /// Only these kinds.
    pub fn kinds<I: IntoIterator<Item = Kind>>(mut self, kinds: I) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }

    /// Only rules, roles (and, with a key prefix, connectors, data views, maintenance windows) that carry the
    /// ownership marker.
    pub fn owned_only(mut self, ownership: Ownership) -> Self {
        self.owned_only = true;
        self.ownership = ownership;
        self
    }

    /// The ownership marker pulled objects carry (stripped from them; the plan adds it back when it writes).
    pub fn ownership(mut self, ownership: Ownership) -> Self {
        self.ownership = ownership;
        self
    }

    /// How many list requests run at a time.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }
}

impl Kibana {
    /// Reads what Kibana has in `scope` as declared state: without what Kibana fills in (ids, versions, dates,
    /// statuses), without the ownership marker, without secrets (Kibana never returns them: declare them as
    /// `${env:NAME}` references before an apply has to send them), and without what cannot be managed as code
    /// (preconfigured connectors, reserved roles). Write it with [`DeclaredState::write_to`]; planning it right
    /// away finds nothing to do.
    ///
    /// ```no_run
    /// # async fn demo(client: kibana::Kibana) -> Result<(), Box<dyn std::error::Error>> {
    /// use kibana::config::PullScope;
    ///
    /// let state = client.pull(&PullScope::all().spaces(["ops"])).await?;
    /// state.write_to("kibana/ops.toml")?;
    /// assert!(client.plan(&state).await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn pull(&self, scope: &PullScope) -> Result<DeclaredState, Error> {
        let global: BTreeSet<Kind> = scope.kinds.iter().copied().filter(|k| k.is_global()).collect();
        let per_space =
            |_: &str| -> BTreeSet<Kind> { scope.kinds.iter().copied().filter(|k| !k.is_global()).collect() };
        let remote = observe(self, scope.spaces.as_ref(), &global, &per_space, scope.concurrency).await?;
        let mut state = DeclaredState::new();
        for (address, observed) in &remote.objects {
            let kind = address.kind;
            if kind == Kind::Space && scope.spaces.as_ref().is_some_and(|s| !s.contains(&address.key)) {
                continue;
            }
            if scope.owned_only
                && scope.ownership.can_mark(kind)
                && !scope.ownership.owns(kind, &address.key, &observed.raw)
            {
                continue;
            }
            match kinds::pulled(address, &observed.raw, &scope.ownership) {
                Some(Pulled::Space(space)) => state.spaces.push(space),
                Some(Pulled::Connector(c)) => state.connectors.push(c),
                Some(Pulled::Rule(r)) => state.rules.push(r),
                Some(Pulled::DataView(v)) => state.data_views.push(v),
                Some(Pulled::DefaultDataView(d)) => state.default_data_views.push(d),
                Some(Pulled::MaintenanceWindow(w)) => state.maintenance_windows.push(w),
                Some(Pulled::Role(r)) => state.roles.push(r),
                None => {}
            }
        }
        Ok(state)
    }
}
