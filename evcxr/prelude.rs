// Run by evcxr when a kernel starts (EVCXR_CONFIG_DIR points here).
// evcxr allows `?` in cells only after a first cell has used it, and a
// plot cell that is the first to use `?` then shows its Figure as text.
// Using `?` once here turns it on before any notebook cell runs.
let _evcxr_enable_question_mark: u8 = "1".parse::<u8>()?;
