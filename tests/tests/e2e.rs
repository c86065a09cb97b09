//! End-to-end tests: the real `wijkwerk` binary on a free port over a generated sample wijk, read
//! by our own HTTP client and by independent clients (GDAL, OWSLib, a Python MVT decoder,
//! MapLibre in headless Chromium).

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

mod api;
mod assignments;
mod campaigns;
mod cli;
mod demo;
mod exports;
mod interop;
mod ogc_filter;
mod open311;
mod openapi;
mod people;
mod reports;
mod security;
mod talent;
mod tiles;
mod urgency;
mod web;
mod work_items;
