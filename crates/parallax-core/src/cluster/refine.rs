//! A second look at a finished story: does it hold two events? Two-means over its articles' TF-IDF vectors
//! (seeded with the article farthest from the centroid and the one farthest from that); the story splits
//! when the two halves' centroids are less similar than `min_cosine` and each half has two articles or more.

use super::Features;
use std::collections::HashMap;

fn vector<'a>(f: &'a Features, idf: &dyn Fn(&str) -> f32) -> HashMap<&'a str, f32> {
    let mut v: HashMap<&str, f32> = f
        .terms
        .iter()
        .map(|(t, w)| (t.as_str(), w * idf(t)))
        .collect();
    let n = v.values().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
    v.values_mut().for_each(|x| *x /= n);
    v
}

fn cosine(a: &HashMap<&str, f32>, b: &HashMap<&str, f32>) -> f32 {
    let (small, large) = if a.len() < b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(t, x)| large.get(t).map(|y| x * y))
        .sum();
    let na = a.values().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
    let nb = b.values().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
    dot / (na * nb)
}

fn centroid<'a>(
    vs: &[HashMap<&'a str, f32>],
    members: impl Iterator<Item = usize>,
) -> HashMap<&'a str, f32> {
    let mut c: HashMap<&str, f32> = HashMap::new();
    for i in members {
        for (t, x) in &vs[i] {
            *c.entry(t).or_default() += x;
        }
    }
    c
}

/// Which articles of a story form a second event, if it holds two: `Some(mask)` with `true` for the part to
/// split off (the part without the story's first article).
pub fn split(
    articles: &[&Features],
    idf: &dyn Fn(&str) -> f32,
    min_cosine: f32,
) -> Option<Vec<bool>> {
    if articles.len() < 4 {
        return None;
    }
    let vs: Vec<HashMap<&str, f32>> = articles.iter().map(|f| vector(f, idf)).collect();
    let all = centroid(&vs, 0..vs.len());
    let far = |from: &HashMap<&str, f32>| {
        (0..vs.len())
            .min_by(|&a, &b| {
                cosine(&vs[a], from)
                    .total_cmp(&cosine(&vs[b], from))
                    .then(a.cmp(&b))
            })
            .unwrap_or(0)
    };
    let a = far(&all);
    let b = far(&vs[a]);
    if a == b {
        return None;
    }
    let (mut ca, mut cb) = (vs[a].clone(), vs[b].clone());
    let mut in_b = vec![false; vs.len()];
    for _ in 0..6 {
        let next: Vec<bool> = vs.iter().map(|v| cosine(v, &cb) > cosine(v, &ca)).collect();
        if next == in_b {
            break;
        }
        in_b = next;
        ca = centroid(&vs, (0..vs.len()).filter(|&i| !in_b[i]));
        cb = centroid(&vs, (0..vs.len()).filter(|&i| in_b[i]));
    }
    let nb = in_b.iter().filter(|x| **x).count();
    if nb < 2 || vs.len() - nb < 2 || cosine(&ca, &cb) >= min_cosine {
        return None;
    }
    // The part holding the first article keeps the story.
    if in_b[0] {
        in_b.iter_mut().for_each(|x| *x = !*x);
    }
    Some(in_b)
}
