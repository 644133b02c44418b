//! A real scripto-server for a test. (to be written)
