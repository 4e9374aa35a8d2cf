//! The seam between the generated client and the stack: one [`CallTransport`] per call, so that what the generated
//! client cannot express (our transport errors, the status of an error whose body was not JSON) is kept for the
//! mapping to [`Error`](crate::Error).

use std::sync::Mutex;

use http::{HeaderMap, Method, StatusCode};
use kibana_gen::{Transport, hooks::TransportFuture};
use tower::ServiceExt;

use super::{HttpRequest, KibanaService, RequestContext, RequestOverrides, TransportError};

#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) method: Option<Method>,
    pub(crate) path: Option<String>,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) error: Option<TransportError>,
    pub(crate) attempts: u32,
}

pub(crate) struct CallTransport {
    service: KibanaService,
    space: Option<String>,
    overrides: Option<RequestOverrides>,
    http: reqwest::Client,
    pub(crate) record: Mutex<CallRecord>,
}

impl CallTransport {
    pub(crate) fn new(
        service: KibanaService,
        space: Option<String>,
        overrides: Option<RequestOverrides>,
        http: reqwest::Client,
    ) -> Self {
        Self {
            service,
            space,
            overrides,
            http,
            record: Mutex::default(),
        }
    }

    /// A `reqwest::Error` to hand back through the generated code, which can only carry that type; the real
    /// error waits in the record.
    fn stand_in_error(&self) -> reqwest::Error {
        match self.http.get("http://[invalid").build() {
            Err(error) => error,
            Ok(_) => unreachable!("`http://[invalid` is not a URL"),
        }
    }

    pub(crate) fn take_record(&self) -> CallRecord {
        std::mem::take(&mut *self.record.lock().expect("call record lock"))
    }
}

impl Transport for CallTransport {
    fn execute(&self, request: reqwest::Request, operation_id: &'static str) -> TransportFuture<'_> {
        Box::pin(async move {
            let mut request = HttpRequest::try_from(request)?;
            {
                let mut record = self.record.lock().expect("call record lock");
                record.method = Some(request.method().clone());
                record.path = Some(request.uri().path().to_owned());
            }
            let path_template = kibana_gen::spec::operation(operation_id).map_or("", |op| op.path);
            let context = RequestContext::new(operation_id, path_template, self.space.clone());
            request.extensions_mut().insert(context.clone());
            if let Some(overrides) = &self.overrides {
                request.extensions_mut().insert(overrides.clone());
            }
            let result = self.service.clone().oneshot(request).await;
            let mut record = self.record.lock().expect("call record lock");
            record.attempts = context.attempts();
            match result {
                Ok(response) => {
                    record.status = Some(response.status());
                    record.headers = Some(response.headers().clone());
                    Ok(reqwest::Response::from(response))
                }
                Err(error) => {
                    record.error = Some(error);
                    drop(record);
                    Err(self.stand_in_error())
                }
            }
        })
    }
}
