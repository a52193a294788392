//! Issue 26 item 8: with an OTLP endpoint, the spans of a command (and of its append) arrive
//! at the collector over HTTP with protobuf (decision 0684).

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::calendar::Calendar;
use zakup_domain::certificate::{Certificate, CertificateCommand};
use zakup_domain::ident::{Bin, Iin};
use zakup_engine::{CommandMeta, Engine, ManualClock};

use super::*;

/// What the collector received: the path, the content type and the body of each request.
type Received = Receiver<(String, String, Vec<u8>)>;

/// A tiny OTLP/HTTP collector on a thread of its own: it answers 200 to every request and
/// hands over what it received.
fn collector() -> (String, Received) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().expect("an address");
    let (received, requests) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("a request line");
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let (mut length, mut content_type) = (0, String::new());
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).expect("a header");
                let Some((name, value)) = header.trim_end().split_once(':') else {
                    break;
                };
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().expect("a length"),
                    "content-type" => value.trim().clone_into(&mut content_type),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("the body");
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
            let _ = received.send((path, content_type, body));
        }
    });
    (format!("http://{addr}/v1/traces"), requests)
}

fn owner() -> Actor {
    Actor {
        user_id: "member".into(),
        iin: Iin::from_prefix("85010130001").expect("an ИИН"),
        org: Bin::from_prefix("05014000001").expect("a БИН"),
        roles: vec![Role::Organizer],
    }
}

fn contains(body: &[u8], text: &str) -> bool {
    body.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn the_spans_of_a_command_arrive_at_the_collector() {
    let (endpoint, requests) = collector();
    let provider = tracer_provider(&endpoint).expect("an exporter");
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("zakup")));
    let command_id = Uuid::new_v4();
    let outcome = tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 2, 2, 4, 0, 0).unwrap());
            let engine = Engine::new(
                Arc::new(zakup_store::MemoryStore::new()),
                Arc::new(clock),
                Arc::new(Calendar::embedded().expect("the calendar")),
            );
            let meta = CommandMeta {
                command_id,
                correlation_id: None,
                causation_id: None,
                actor: owner(),
                unread_notices: Default::default(),
            };
            let register = CertificateCommand::Register {
                iin: owner().iin,
                public_key_hex: "ab".repeat(32),
            };
            engine
                .execute::<Certificate>(&owner().iin.to_string(), &meta, register)
                .await
        })
    });
    outcome.expect("the command is carried out");
    provider.force_flush().expect("flushed");
    let (path, content_type, mut body) = requests
        .recv_timeout(Duration::from_secs(30))
        .expect("the spans arrive");
    while let Ok((_, _, more)) = requests.try_recv() {
        body.extend(more);
    }
    assert_eq!(path, "/v1/traces");
    assert_eq!(content_type, "application/x-protobuf");
    for text in ["zakup", "command", "append", &command_id.to_string()] {
        assert!(contains(&body, text), "{text} in the exported spans");
    }
}
