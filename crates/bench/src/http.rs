//! A minimal HTTP/1.1 client with keep-alive, enough for `POST /graphql`: no new crate, and no
//! client machinery between the figure and the server.

use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::Result;

pub struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    /// Only loopback addresses: the load never leaves the machine.
    pub async fn open(addr: SocketAddr) -> Result<Self> {
        if !addr.ip().is_loopback() {
            return Err(format!("refusing to send load to {addr}: loopback only").into());
        }
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: BufReader::new(stream),
        })
    }

    /// Posts a GraphQL request and returns the response body; a status other than 200 or a
    /// GraphQL `errors` entry is an error.
    pub async fn graphql(&mut self, bearer: Option<&str>, body: &[u8]) -> Result<Vec<u8>> {
        let authorization =
            bearer.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             {authorization}Content-Length: {}\r\n\r\n",
            body.len()
        );
        let socket = self.stream.get_mut();
        socket.write_all(head.as_bytes()).await?;
        socket.write_all(body).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err("the server closed the connection".into());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = Some(value.trim().parse::<usize>()?);
            }
        }
        let length = length.ok_or("a response without Content-Length")?;
        let mut response = vec![0; length];
        self.stream.read_exact(&mut response).await?;
        if status != "200" {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&response)).into());
        }
        if response.windows(9).any(|w| w == b"\"errors\":") {
            return Err(format!("GraphQL: {}", String::from_utf8_lossy(&response)).into());
        }
        Ok(response)
    }
}
