//! Charts for reports, as SVG text (plotters' SVG backend: no fonts or system libraries
//! needed). Each function returns the SVG; the caller decides where it goes.

use plotters::prelude::*;

/// A chart that could not be drawn (plotters' error, in words).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot draw the chart: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

type Result<T> = std::result::Result<T, ChartError>;

const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// The label of a horizontal bar chart's row at tick `y` (rows are centred on k + 0.5, the
/// first row at the top), or nothing between rows.
pub fn row_label(labels: &[String], y: f64) -> String {
    let n = labels.len();
    let i = (y - 0.5).round();
    if (y - 0.5 - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
        labels.get(n - 1 - i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// A labelled line: (day, estimate, standard error) points.
pub type Curve = (String, Vec<(f64, f64, f64)>);

/// Axis titles of a curve chart.
pub struct Axes<'a> {
    pub x: &'a str,
    pub y: &'a str,
}

/// Lines of a probability over time for each series, with ±2 standard errors shaded.
pub fn curves(title: &str, axes: &Axes, series: &[Curve], x_max: f64) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (940, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // The legend has its own strip on the right: inside the plot it would hide a curve.
        let (plot, legend) = root.split_horizontally(760);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(0f64..x_max, 0f64..1f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(axes.x)
            .y_desc(axes.y)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(err)?;
        for (i, (label, points)) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let band: Vec<(f64, f64)> = points
                .iter()
                .map(|(x, y, se)| (*x, (y + 2.0 * se).min(1.0)))
                .chain(
                    points
                        .iter()
                        .rev()
                        .map(|(x, y, se)| (*x, (y - 2.0 * se).max(0.0))),
                )
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, colour.mix(0.15))))
                .map_err(err)?;
            // Lines that coincide (two options at 0, or at the same value) stay apart: each
            // series has its own dash pattern and marker, the markers staggered along x.
            let line: Vec<(f64, f64)> = points.iter().map(|(x, y, _)| (*x, *y)).collect();
            let style = colour.stroke_width(2);
            match dash(i) {
                None => chart
                    .draw_series(LineSeries::new(line.clone(), style))
                    .map(|_| ()),
                Some((on, off)) => chart
                    .draw_series(DashedLineSeries::new(line.clone(), on, off, style))
                    .map(|_| ()),
            }
            .map_err(err)?;
            let every = MARK_EVERY.max(1);
            let marks = line
                .iter()
                .enumerate()
                .filter(|(k, _)| k % every == (i * MARK_STAGGER) % every)
                .map(|(_, p)| *p);
            draw_marks(&mut chart, i, colour, marks)?;
            let y = 60 + 24 * i as i32;
            let legend_line = vec![(2, y), (40, y)];
            match dash(i) {
                None => legend.draw(&PathElement::new(legend_line, colour.stroke_width(3))),
                Some((on, off)) => legend.draw(&plotters::element::DashedPathElement::new(
                    legend_line,
                    on,
                    off,
                    colour.stroke_width(3),
                )),
            }
            .map_err(err)?;
            legend_mark(&legend, i, colour, (21, y))?;
            legend
                .draw(&Text::new(label.clone(), (46, y - 7), ("sans-serif", 14)))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Points between two markers of one series, and the shift between series' markers.
const MARK_EVERY: usize = 12;
const MARK_STAGGER: usize = 4;

/// The dash pattern of series `i` (dash and gap in pixels), `None` for a solid line.
pub fn dash(i: usize) -> Option<(u32, u32)> {
    match i % 4 {
        0 => None,
        1 => Some((9, 5)),
        2 => Some((2, 4)),
        _ => Some((16, 5)),
    }
}

/// Markers of series `i` at data points: filled circle, hollow circle, triangle, cross.
fn draw_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    i: usize,
    colour: RGBColor,
    at: impl Iterator<Item = (f64, f64)>,
) -> Result<()> {
    let (fill, line) = (colour.filled(), colour.stroke_width(2));
    match i % 4 {
        0 => chart.draw_series(at.map(|p| Circle::new(p, 4, fill))).map(|_| ()),
        1 => chart.draw_series(at.map(|p| Circle::new(p, 4, line))).map(|_| ()),
        2 => chart
            .draw_series(at.map(|p| TriangleMarker::new(p, 5, fill)))
            .map(|_| ()),
        _ => chart.draw_series(at.map(|p| Cross::new(p, 4, line))).map(|_| ()),
    }
    .map_err(err)
}

/// The same marker in the legend, at pixel `at`.
fn legend_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    i: usize,
    colour: RGBColor,
    at: (i32, i32),
) -> Result<()> {
    let (fill, line) = (colour.filled(), colour.stroke_width(2));
    match i % 4 {
        0 => area.draw(&Circle::new(at, 4, fill)),
        1 => area.draw(&Circle::new(at, 4, line)),
        2 => area.draw(&TriangleMarker::new(at, 5, fill)),
        _ => area.draw(&Cross::new(at, 4, line)),
    }
    .map_err(err)
}

/// For each option, the 5th–95th percentile range and the median of committed capability
/// relative to the attacker's, on a log scale, with the parity line at 1.
pub fn capability(title: &str, rows: &[(String, f64, f64, f64)]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 90 + 50 * rows.len() as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let positive = |v: f64| v.max(1e-4);
        let lo = rows
            .iter()
            .map(|r| positive(r.1))
            .fold(1.0f64, f64::min)
            .max(1e-4)
            / 2.0;
        let hi = rows.iter().map(|r| positive(r.3)).fold(1.0f64, f64::max) * 2.0;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d((lo..hi).log_scale(), 0f64..rows.len() as f64)
            .map_err(err)?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
        .configure_mesh()
        .x_desc("committed capability / attacker's (log scale; 1 = parity; nothing committed is drawn at the left edge)")
        .y_labels(rows.len() * 2 + 1)
        .y_label_formatter(&|y| row_label(&labels, *y))
        .draw()
        .map_err(err)?;
        for (i, (_, p05, p50, p95)) in rows.iter().enumerate() {
            let y = (rows.len() - 1 - i) as f64 + 0.5;
            let c = COLOURS[i % COLOURS.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(positive(*p05), y - 0.2), (positive(*p95), y + 0.2)],
                    c.mix(0.35).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new((positive(*p50), y), 5, c.filled())))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                vec![(1.0, 0.0), (1.0, rows.len() as f64)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A tornado chart: for each parameter, the result at its low and high end around the base.
pub fn tornado(title: &str, metric: &str, base: f64, rows: &[(String, f64, f64)]) -> Result<String> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (820, 90 + 34 * rows.len().max(1) as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let span = rows
            .iter()
            .flat_map(|r| [r.1, r.2])
            .chain([base])
            .fold((1.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = ((span.0 - 0.02).max(0.0), (span.1 + 0.02).min(1.0));
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(300)
            .build_cartesian_2d(lo..hi.max(lo + 0.01), 0f64..rows.len().max(1) as f64)
            .map_err(err)?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let n = rows.len();
        chart
            .configure_mesh()
            .x_desc(format!(
                "{metric} — grey: parameter at its low end, blue: at its high end"
            ))
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| row_label(&labels, *y))
            .draw()
            .map_err(err)?;
        for (i, (_, low, high)) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64 + 0.5;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(base.min(*low), y - 0.3), (base.max(*low), y + 0.3)],
                    RGBColor(160, 160, 160).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(base.min(*high), y - 0.3), (base.max(*high), y + 0.3)],
                    COLOURS[0].mix(0.8).filled(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                vec![(base, 0.0), (base, n.max(1) as f64)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A calibration plot: for each group of cases, the mean predicted probability against the
/// share observed, with ±2 binomial standard errors, the diagonal of perfect calibration and
/// the base rate. Points are (mean predicted, observed, cases).
pub fn calibration(title: &str, points: &[(f64, f64, usize)], base_rate: f64) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (620, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("mean predicted P(honoured), out of fold")
            .y_desc("share honoured")
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, 0.0), (1.0, 1.0)],
                RGBColor(127, 127, 127).stroke_width(1),
            ))
            .map_err(err)?
            .label("perfect calibration")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], RGBColor(127, 127, 127).stroke_width(1))
            });
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, base_rate), (1.0, base_rate)],
                COLOURS[1].stroke_width(1),
            ))
            .map_err(err)?
            .label(format!("base rate {base_rate:.2}"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], COLOURS[1].stroke_width(1)));
        for &(p, o, n) in points {
            let se = (o * (1.0 - o) / n.max(1) as f64).sqrt();
            chart
                .draw_series(LineSeries::new(
                    vec![(p, (o - 2.0 * se).max(0.0)), (p, (o + 2.0 * se).min(1.0))],
                    COLOURS[0].stroke_width(1),
                ))
                .map_err(err)?;
        }
        chart
            .draw_series(
                points.iter().map(|&(p, o, n)| {
                    Circle::new((p, o), 3 + (n as f64).sqrt() as i32 / 2, COLOURS[0].filled())
                }),
            )
            .map_err(err)?
            .label("group of cases (size: cases; bar: ±2 s.e.)")
            .legend(|(x, y)| Circle::new((x + 9, y), 4, COLOURS[0].filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Paths over rounds, one per series, with a bold reference path (e.g. each actor's position
/// by round and their weighted median), the y axis fixed to `y_range`.
pub fn rounds(
    title: &str,
    y_range: (f64, f64),
    series: &[(String, Vec<f64>)],
    reference: (&str, &[f64]),
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let n = series
            .iter()
            .map(|s| s.1.len())
            .chain([reference.1.len()])
            .max()
            .unwrap_or(0);
        let rounds = n.saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..rounds, y_range.0..y_range.1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("round")
            .y_desc("position")
            .draw()
            .map_err(err)?;
        for (k, (label, values)) in series.iter().enumerate() {
            let c = COLOURS[k % COLOURS.len()];
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(t, v)| (t as f64, *v)),
                    c.stroke_width(2),
                ))
                .map_err(err)?
                .label(label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
        }
        chart
            .draw_series(LineSeries::new(
                reference.1.iter().enumerate().map(|(t, m)| (t as f64, *m)),
                BLACK.stroke_width(3),
            ))
            .map_err(err)?
            .label(reference.0)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(3)));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Two parties' utilities on the unit square: a frontier drawn as a line (`free`, sorted
/// here by x), points on a second frontier (`within`), the disagreement point, and a package
/// marked as a triangle.
pub struct Frontier<'a> {
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub free: (&'a str, Vec<(f64, f64)>),
    pub within: (&'a str, Vec<(f64, f64)>),
    pub disagreement: (&'a str, (f64, f64)),
    pub package: Option<(&'a str, (f64, f64))>,
}

/// Draws a [`Frontier`].
pub fn frontier(title: &str, f: &Frontier) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (620, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(f.x_label)
            .y_desc(f.y_label)
            .draw()
            .map_err(err)?;
        let mut free = f.free.1.clone();
        free.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(free, COLOURS[0].stroke_width(2)))
            .map_err(err)?
            .label(f.free.0)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], COLOURS[0].stroke_width(2)));
        chart
            .draw_series(f.within.1.iter().map(|p| Circle::new(*p, 4, COLOURS[2].filled())))
            .map_err(err)?
            .label(f.within.0)
            .legend(|(x, y)| Circle::new((x + 8, y), 4, COLOURS[2].filled()));
        chart
            .draw_series([Cross::new(f.disagreement.1, 6, COLOURS[3].stroke_width(2))])
            .map_err(err)?
            .label(f.disagreement.0)
            .legend(|(x, y)| Cross::new((x + 8, y), 5, COLOURS[3].stroke_width(2)));
        if let Some((label, p)) = f.package {
            chart
                .draw_series([TriangleMarker::new(p, 7, BLACK.filled())])
                .map_err(err)?
                .label(label)
                .legend(|(x, y)| TriangleMarker::new((x + 8, y), 5, BLACK.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

type RowsChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The frame of a chart with one labelled row per item (the first at the top, row k centred
/// on k + 0.5) over a linear `x` axis: white background, title, axis and row labels.
fn labelled_rows<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    x_desc: &str,
    x: std::ops::Range<f64>,
    labels: &[String],
) -> Result<RowsChart<'a, 'b>> {
    root.fill(&WHITE).map_err(err)?;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(190)
        .build_cartesian_2d(x, 0f64..labels.len().max(1) as f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_labels(labels.len() * 2 + 1)
        .y_label_formatter(&|y| row_label(labels, *y))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Estimates with intervals on a linear axis from 0 (e.g. Sobol indices): one row per
/// label, a bar from low to high and a dot at the estimate.
pub fn intervals(title: &str, x_desc: &str, rows: &[(String, f64, f64, f64)]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 90 + 40 * rows.len() as u32)).into_drawing_area();
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let lo = rows.iter().map(|r| finite(r.1)).fold(0.0f64, f64::min);
        let hi = rows
            .iter()
            .map(|r| finite(r.3).max(finite(r.2)))
            .fold(1.0f64, f64::max);
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = labelled_rows(&root, title, x_desc, lo..hi, &labels)?;
        for (i, (_, low, est, high)) in rows.iter().enumerate() {
            let y = (rows.len() - 1 - i) as f64 + 0.5;
            let c = COLOURS[i % COLOURS.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(finite(*low), y - 0.2), (finite(*high), y + 0.2)],
                    c.mix(0.35).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new((finite(*est), y), 5, c.filled())))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One bar of [`rates`]: a label, the rate and its interval, each unknown when there are
/// no cases.
pub struct RateBar {
    pub label: String,
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Horizontal bars of rates on [0, 1] with interval lines (e.g. how often commitments were
/// honoured, with Wilson intervals); the first row is drawn stronger, as the total.
pub fn rates(title: &str, x_desc: &str, rows: &[RateBar]) -> Result<String> {
    let n = rows.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 90 + 40 * n as u32)).into_drawing_area();
        let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let mut chart = labelled_rows(&root, title, x_desc, 0.0..1.0, &labels)?;
        for (i, r) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64 + 0.5;
            if let Some(rate) = r.rate {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (rate, y + 0.3)],
                        COLOURS[0].mix(if i == 0 { 0.9 } else { 0.6 }).filled(),
                    )))
                    .map_err(err)?;
            }
            if let (Some(lo), Some(hi)) = (r.low, r.high) {
                chart
                    .draw_series(LineSeries::new(vec![(lo, y), (hi, y)], BLACK.stroke_width(2)))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coinciding_lines_are_told_apart_by_dashes_and_markers() {
        let flat: Vec<(f64, f64, f64)> = (0..91).map(|d| (d as f64, 0.0, 0.0)).collect();
        let series = vec![("a".to_string(), flat.clone()), ("b".to_string(), flat)];
        let axes = Axes { x: "days", y: "P" };
        let svg = curves("P(x) by option", &axes, &series, 90.0).unwrap();
        // Series a: filled circles; series b: hollow circles, staggered, each also in the legend.
        let filled = svg.matches("<circle").count();
        assert!(filled >= 2 * (91 / MARK_EVERY) + 2, "{filled} markers");
        assert!(svg.contains("fill=\"none\""), "series b's markers are hollow");
        // The second series is dashed: many short segments rather than one line.
        assert!(svg.matches("<polyline").count() > 10 || svg.matches("<line").count() > 10);
        assert_eq!(dash(0), None);
        assert!(dash(1).is_some() && dash(2) != dash(1) && dash(3) != dash(1));
    }
}
