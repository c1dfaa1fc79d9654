//! One file per command: its flags, a call to one API function, the rendering. No command
//! imports another; what two need lives in `args`, `cx` or below the command line.

pub mod accession;
pub mod assess;
pub mod calibrate;
pub mod cascade;
pub mod check;
pub mod compare;
pub mod data;
pub mod dyads;
pub mod list;
pub mod negotiate;
pub mod obligations;
pub mod reliability;
pub mod serve;
pub mod show;
pub mod simulate;
pub mod sweep;
pub mod test;
