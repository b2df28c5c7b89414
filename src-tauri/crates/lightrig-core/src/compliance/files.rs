//! The data files, embedded at build time. A new file is added here and in compliance/; a test
//! fails when a file on disk is missing from this list.

/// `(file name, contents)` of one data file in `compliance/`.
macro_rules! data_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../../compliance/", $name)))
    };
}

/// Every data file in `compliance/`, sorted by file name.
pub(super) const FILES: &[(&str, &str)] = &[
    data_file!("_privacy-coins.toml"),
    data_file!("_workplace.toml"),
    data_file!("ae.toml"),
    data_file!("au.toml"),
    data_file!("br.toml"),
    data_file!("ca.toml"),
    data_file!("cn.toml"),
    data_file!("de.toml"),
    data_file!("eu.toml"),
    data_file!("gb.toml"),
    data_file!("hk.toml"),
    data_file!("in.toml"),
    data_file!("ir.toml"),
    data_file!("jp.toml"),
    data_file!("kr.toml"),
    data_file!("kz.toml"),
    data_file!("no.toml"),
    data_file!("ru.toml"),
    data_file!("se.toml"),
    data_file!("sg.toml"),
    data_file!("tr.toml"),
    data_file!("us.toml"),
];
