//! Device logins (RFC 8628).

use postgres::Row;

use super::{PgConn, count};
use crate::store::{DeviceRow, DeviceStatus, Devices, StoreResult};

const COLUMNS: &str = "device_hash, user_hash, group_hash, key_name, client_name, client_ip, \
     created_at, expires_at, interval_secs, last_polled_ms, status, approver_id, approver_ip, \
     failures";

fn device_row(r: &Row) -> DeviceRow {
    DeviceRow {
        device_hash: r.get(0),
        user_hash: r.get(1),
        group_hash: r.get(2),
        key_name: r.get(3),
        client_name: r.get(4),
        client_ip: r.get(5),
        created_at: r.get(6),
        expires_at: r.get(7),
        interval_secs: r.get(8),
        last_polled_ms: r.get(9),
        status: DeviceStatus::parse(r.get(10)),
        approver_id: r.get(11),
        approver_ip: r.get(12),
        failures: count(r.get(13)),
    }
}

impl Devices for PgConn {
    fn put_device(&mut self, d: &DeviceRow, now: i64) -> StoreResult<()> {
        self.execute(
            "DELETE FROM device_codes WHERE expires_at < $1",
            &[&(now - 86_400)],
        )?;
        self.execute(
            "INSERT INTO device_codes (device_hash, user_hash, group_hash, key_name, client_name, \
             client_ip, created_at, expires_at, interval_secs, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &d.device_hash,
                &d.user_hash,
                &d.group_hash,
                &d.key_name,
                &d.client_name,
                &d.client_ip,
                &d.created_at,
                &d.expires_at,
                &d.interval_secs,
                &d.status.as_str(),
            ],
        )?;
        Ok(())
    }

    fn device_by_code(&mut self, device_hash: &[u8]) -> StoreResult<Option<DeviceRow>> {
        let sql = format!("SELECT {COLUMNS} FROM device_codes WHERE device_hash = $1");
        Ok(self
            .query_opt(&sql, &[&device_hash])?
            .map(|r| device_row(&r)))
    }

    fn device_by_user_code(&mut self, user_hash: &[u8]) -> StoreResult<Option<DeviceRow>> {
        let sql = format!("SELECT {COLUMNS} FROM device_codes WHERE user_hash = $1");
        Ok(self.query_opt(&sql, &[&user_hash])?.map(|r| device_row(&r)))
    }

    fn devices_in_group(&mut self, group_hash: &[u8]) -> StoreResult<Vec<DeviceRow>> {
        let sql = format!("SELECT {COLUMNS} FROM device_codes WHERE group_hash = $1");
        Ok(self
            .query(&sql, &[&group_hash])?
            .iter()
            .map(device_row)
            .collect())
    }

    fn set_device_polled(
        &mut self,
        device_hash: &[u8],
        polled_ms: i64,
        interval_secs: i64,
    ) -> StoreResult<()> {
        self.execute(
            "UPDATE device_codes SET last_polled_ms = $2, interval_secs = $3 WHERE device_hash = $1",
            &[&device_hash, &polled_ms, &interval_secs],
        )?;
        Ok(())
    }

    fn decide_device(
        &mut self,
        device_hash: &[u8],
        status: DeviceStatus,
        approver_id: &str,
        approver_ip: &str,
    ) -> StoreResult<bool> {
        Ok(self.execute(
            "UPDATE device_codes SET status = $2, approver_id = $3, approver_ip = $4 \
             WHERE device_hash = $1 AND status = 'pending'",
            &[&device_hash, &status.as_str(), &approver_id, &approver_ip],
        )? == 1)
    }

    fn set_device_failures(&mut self, device_hash: &[u8], failures: u32) -> StoreResult<()> {
        self.execute(
            "UPDATE device_codes SET failures = $2 WHERE device_hash = $1",
            &[&device_hash, &i64::from(failures)],
        )?;
        Ok(())
    }

    fn delete_device(&mut self, device_hash: &[u8]) -> StoreResult<bool> {
        Ok(self.execute(
            "DELETE FROM device_codes WHERE device_hash = $1",
            &[&device_hash],
        )? == 1)
    }
}
