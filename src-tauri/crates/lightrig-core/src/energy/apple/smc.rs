//! The System Management Controller's key/value protocol, as the AppleSMC user client speaks it
//! (the layout smcFanControl, exelban/stats and macmon all use; energy.md §1.2). Keys are four
//! ASCII characters sent as a big-endian `u32` (`"PSTR"` = 0x50535452); each value comes with a
//! four-character type that says how to read its bytes:
//! - `flt ` — a 32-bit float, little-endian (what Apple Silicon Macs use for power keys);
//! - `spXY` — signed fixed point, X integer bits and Y fraction bits in hex, big-endian
//!   (`sp78`: 7.8 bits, the classic temperature type; `sp96`, `spb4`… for power on Intel Macs);
//! - `fpXY` — the unsigned form (`fpe2`: 14.2 bits, fan speeds);
//! - `ui8 `, `ui16`, `ui32`, `si8 `, `si16` — big-endian integers.

use thiserror::Error;

/// `kSMCHandleYPCEvent`: the user client's one struct method.
pub const SELECTOR_HANDLE_YPC_EVENT: u32 = 2;
/// `data8` command: read a key's value.
pub const CMD_READ_KEY: u8 = 5;
/// `data8` command: read a key's size and type.
pub const CMD_READ_KEY_INFO: u8 = 9;
/// `result` byte for a key this SMC does not have.
const RESULT_KEY_NOT_FOUND: u8 = 132;

/// Why an SMC key gave no value.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SmcError {
    #[error("SMC key {key:?} is not four ASCII characters")]
    BadKey { key: String },
    #[error("this Mac's SMC has no {key} key")]
    KeyNotFound { key: String },
    #[error("the SMC answered {key} with error code {code}")]
    Refused { key: String, code: u8 },
    #[error("the SMC call failed (IOKit return code {code:#x})")]
    Call { code: i32 },
    #[error("the SMC value type {data_type:?} is not one Lightrig reads")]
    UnsupportedType { data_type: String },
    #[error("the SMC gave {got} byte(s) for a {data_type:?} value, which needs {needed}")]
    ShortValue { data_type: String, needed: usize, got: usize },
    #[error("could not open the SMC: {reason}")]
    Open { reason: String },
}

/// A four-character code as the SMC sends it.
pub fn fourcc(key: &str) -> Result<u32, SmcError> {
    let bytes: [u8; 4] = key
        .as_bytes()
        .try_into()
        .ok()
        .filter(|b: &[u8; 4]| b.iter().all(u8::is_ascii))
        .ok_or_else(|| SmcError::BadKey { key: key.to_owned() })?;
    Ok(u32::from_be_bytes(bytes))
}

/// A four-character code back as text (`"flt "`, `"sp78"`), `?` for bytes that are not
/// printable, for messages.
pub fn fourcc_name(code: u32) -> String {
    code.to_be_bytes()
        .iter()
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '?' })
        .collect()
}

/// The first `N` bytes of a value, or why there are fewer.
fn take<const N: usize>(bytes: &[u8], data_type: u32) -> Result<[u8; N], SmcError> {
    bytes.get(..N).and_then(|s| s.try_into().ok()).ok_or_else(|| SmcError::ShortValue {
        data_type: fourcc_name(data_type),
        needed: N,
        got: bytes.len(),
    })
}

/// A value's bytes as a number, by its SMC type.
pub fn decode_smc_value(data_type: u32, bytes: &[u8]) -> Result<f64, SmcError> {
    let unsupported = || SmcError::UnsupportedType { data_type: fourcc_name(data_type) };
    match &data_type.to_be_bytes() {
        b"flt " => Ok(f64::from(f32::from_le_bytes(take(bytes, data_type)?))),
        b"ui8 " => Ok(f64::from(u8::from_be_bytes(take(bytes, data_type)?))),
        b"ui16" => Ok(f64::from(u16::from_be_bytes(take(bytes, data_type)?))),
        b"ui32" => Ok(f64::from(u32::from_be_bytes(take(bytes, data_type)?))),
        b"si8 " => Ok(f64::from(i8::from_be_bytes(take(bytes, data_type)?))),
        b"si16" => Ok(f64::from(i16::from_be_bytes(take(bytes, data_type)?))),
        [kind @ (b'f' | b's'), b'p', int, frac] => {
            let hex = |c: &u8| char::from(*c).to_digit(16);
            let (Some(int), Some(frac)) = (hex(int), hex(frac)) else {
                return Err(unsupported());
            };
            let signed = *kind == b's';
            // Sixteen bits in all: sign (for sp), integer and fraction.
            if int + frac + u32::from(signed) != 16 {
                return Err(unsupported());
            }
            let raw: [u8; 2] = take(bytes, data_type)?;
            let value = if signed {
                f64::from(i16::from_be_bytes(raw))
            } else {
                f64::from(u16::from_be_bytes(raw))
            };
            Ok(value / f64::from(1u32 << frac))
        }
        _ => Err(unsupported()),
    }
}

/// `SMCKeyData_vers_t`.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct SmcVersion {
    pub major: u8,
    pub minor: u8,
    pub build: u8,
    pub reserved: u8,
    pub release: u16,
}

/// `SMCKeyData_pLimitData_t`.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct SmcPowerLimit {
    pub version: u16,
    pub length: u16,
    pub cpu_limit: u32,
    pub gpu_limit: u32,
    pub mem_limit: u32,
}

/// `SMCKeyData_keyInfo_t`: a value's size in bytes and its type code.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SmcKeyInfo {
    pub data_size: u32,
    pub data_type: u32,
    pub data_attributes: u8,
}

/// `SMCKeyData_t`, the 80-byte struct passed both ways through `IOConnectCallStructMethod`.
/// The asserts below pin the C layout, so a change in field order fails the build on every OS
/// rather than garbling reads on a Mac.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct SmcKeyData {
    pub key: u32,
    pub vers: SmcVersion,
    pub p_limit: SmcPowerLimit,
    pub key_info: SmcKeyInfo,
    pub result: u8,
    pub status: u8,
    pub data8: u8,
    pub data32: u32,
    pub bytes: [u8; 32],
}

const _: () = assert!(std::mem::size_of::<SmcKeyData>() == 80);
const _: () = assert!(std::mem::offset_of!(SmcKeyData, key_info) == 28);
const _: () = assert!(std::mem::offset_of!(SmcKeyData, result) == 40);
const _: () = assert!(std::mem::offset_of!(SmcKeyData, data8) == 42);
const _: () = assert!(std::mem::offset_of!(SmcKeyData, data32) == 44);
const _: () = assert!(std::mem::offset_of!(SmcKeyData, bytes) == 48);

impl SmcKeyData {
    /// Asks for a key's size and type.
    pub fn key_info_request(key: u32) -> SmcKeyData {
        SmcKeyData { key, data8: CMD_READ_KEY_INFO, ..SmcKeyData::default() }
    }

    /// Asks for a key's value; the SMC needs the size it answered to the info request.
    pub fn read_request(key: u32, key_info: SmcKeyInfo) -> SmcKeyData {
        SmcKeyData { key, key_info, data8: CMD_READ_KEY, ..SmcKeyData::default() }
    }

    /// Whether the SMC accepted the request (its `result` byte).
    pub fn check(&self, key: u32) -> Result<(), SmcError> {
        match self.result {
            0 => Ok(()),
            RESULT_KEY_NOT_FOUND => Err(SmcError::KeyNotFound { key: fourcc_name(key) }),
            code => Err(SmcError::Refused { key: fourcc_name(key), code }),
        }
    }

    /// The answer to a read request as a number, given the key's info.
    pub fn value(&self, key_info: SmcKeyInfo) -> Result<f64, SmcError> {
        let size = usize::try_from(key_info.data_size).unwrap_or(usize::MAX).min(self.bytes.len());
        decode_smc_value(key_info.data_type, &self.bytes[..size])
    }
}
