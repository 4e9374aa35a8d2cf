//! Which spaces exist, shared by every clone and scoped view of a client.
//!
//! - A verdict (exists or not) is trusted for the TTL.
//! - Single-flight: concurrent first uses of a space wait for one lookup instead of each sending their own.
//! - Invalidation (the SDK's own create and delete) bumps the space's generation; a lookup that started before the
//!   invalidation does not store its (possibly stale) verdict.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::future::{BoxFuture, FutureExt, Shared};

use super::SpaceId;
use crate::Error;

type Lookup = Shared<BoxFuture<'static, Result<bool, Arc<Error>>>>;

#[derive(Default)]
struct Slot {
    generation: u64,
    verdict: Option<(bool, Instant)>,
    in_flight: Option<(u64, Lookup)>,
}

pub(crate) struct SpaceCache {
    ttl: Duration,
    slots: Mutex<HashMap<SpaceId, Slot>>,
}

impl SpaceCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slots: Mutex::default(),
        }
    }

    /// Whether `space` exists, from the cache or from `lookup` (run at most once at a time per space).
    pub(crate) async fn exists<F, Fut>(&self, space: &SpaceId, lookup: F) -> Result<bool, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<bool, Error>> + Send + 'static,
    {
        let (generation, shared) = {
            let mut slots = self.slots.lock().expect("space cache lock");
            let slot = slots.entry(space.clone()).or_default();
            if let Some((exists, at)) = slot.verdict
                && at.elapsed() < self.ttl
            {
                return Ok(exists);
            }
            match &slot.in_flight {
                Some((generation, shared)) if *generation == slot.generation => (*generation, shared.clone()),
                _ => {
                    let shared = lookup().map(|r| r.map_err(Arc::new)).boxed().shared();
                    slot.in_flight = Some((slot.generation, shared.clone()));
                    (slot.generation, shared)
                }
            }
        };
        let outcome = shared.await;
        let mut slots = self.slots.lock().expect("space cache lock");
        let slot = slots.entry(space.clone()).or_default();
        if slot.in_flight.as_ref().is_some_and(|(g, _)| *g == generation) {
            slot.in_flight = None;
        }
        match outcome {
            Ok(exists) => {
                if slot.generation == generation {
                    slot.verdict = Some((exists, Instant::now()));
                }
                Ok(exists)
            }
            Err(error) => Err(Error::SpaceValidation {
                space_id: space.to_string(),
                source: error,
            }),
        }
    }

    /// Forgets what is known about `space`, including lookups under way.
    pub(crate) fn invalidate(&self, space: &str) {
        let Ok(space) = SpaceId::new(space) else { return };
        let mut slots = self.slots.lock().expect("space cache lock");
        let slot = slots.entry(space).or_default();
        slot.generation += 1;
        slot.verdict = None;
        slot.in_flight = None;
    }

    /// Records a verdict learnt from a create or a get (so the next use needs no lookup).
    pub(crate) fn record(&self, space: &str, exists: bool) {
        let Ok(space) = SpaceId::new(space) else { return };
        let mut slots = self.slots.lock().expect("space cache lock");
        let slot = slots.entry(space).or_default();
        slot.generation += 1;
        slot.in_flight = None;
        slot.verdict = Some((exists, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn id(s: &str) -> SpaceId {
        SpaceId::new(s).unwrap()
    }

    #[tokio::test]
    async fn concurrent_first_uses_share_one_lookup() {
        let cache = Arc::new(SpaceCache::new(Duration::from_secs(60)));
        let lookups = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let (cache, lookups) = (cache.clone(), lookups.clone());
                tokio::spawn(async move {
                    cache
                        .exists(&id("m"), || async move {
                            lookups.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(true)
                        })
                        .await
                        .unwrap()
                })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap());
        }
        assert_eq!(lookups.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidation_wins_over_a_late_lookup() {
        let cache = Arc::new(SpaceCache::new(Duration::from_secs(60)));
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let slow = {
            let cache = cache.clone();
            tokio::spawn(async move {
                cache
                    .exists(&id("m"), || async move {
                        wait.await.ok();
                        Ok(true)
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        cache.invalidate("m");
        release.send(()).unwrap();
        assert!(slow.await.unwrap().unwrap());
        // The stale `true` was not stored: the next use looks up again.
        let again = cache.exists(&id("m"), || async { Ok(false) }).await.unwrap();
        assert!(!again);
    }

    #[tokio::test]
    async fn verdicts_expire_after_the_ttl() {
        let cache = SpaceCache::new(Duration::from_millis(30));
        assert!(cache.exists(&id("m"), || async { Ok(true) }).await.unwrap());
        assert!(cache.exists(&id("m"), || async { Ok(false) }).await.unwrap(), "cached");
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert!(
            !cache.exists(&id("m"), || async { Ok(false) }).await.unwrap(),
            "expired"
        );
    }
}
