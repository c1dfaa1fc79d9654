//! The built-in toy scope and its model: answers known in advance (the Ishigami function's
//! Sobol indices; a planted box), for tests, examples and learning the commands.

use crate::plan::Input;

/// The toy scope file.
pub const SCOPE: &str = include_str!("../scopes/toy.toml");

/// The Ishigami–Homma function with a = 7, b = 0.1.
pub fn ishigami(x1: f64, x2: f64, x3: f64) -> f64 {
    x1.sin() + 7.0 * x2.sin().powi(2) + 0.1 * x3.powi(4) * x1.sin()
}

/// Its Sobol indices, analytically (first-order, total) for x1, x2, x3.
pub fn ishigami_indices() -> [(f64, f64); 3] {
    let (a, b) = (7.0f64, 0.1f64);
    let pi = std::f64::consts::PI;
    let v1 = 0.5 * (1.0 + b * pi.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * pi.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

/// The toy model: `ishigami`, and `response` (0.3 in the planted box of the design, else 0.8).
pub fn evaluate(input: &Input) -> Result<Vec<f64>, String> {
    let (x1, x2, x3) = (input.value("x1"), input.value("x2"), input.value("x3"));
    let inside = match input.lever("design") {
        Some("narrow") => (0.0..=2.0).contains(&x1) && (-1.0..=1.0).contains(&x2),
        Some("wide") => x1 > 1.0,
        other => return Err(format!("the toy model has no design {other:?}")),
    };
    Ok(vec![ishigami(x1, x2, x3), if inside { 0.3 } else { 0.8 }])
}
