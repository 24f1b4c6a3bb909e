//! The planners' sections of a batch report: `[[planner]]` entries of a report spec, each
//! one of the planners' questions (`trends`, `consortia`, `synergy`, `engagement`,
//! `platforms`, `universities`) with its options, answered from one load of the records.

use serde::{Deserialize, Serialize};

use super::learned_kept::Keeping;

use super::{
    check_format, consortia_kept, consortia_needs, engagement, engagement_needs, parse_years,
    platforms, platforms_needs, synergy, synergy_needs, trends, trends_needs, universities,
    universities_needs, Breakdown, CandidatesRequest, ConsortiaReport, ConsortiaRequest, Ecosystem,
    EngagementReport, EngagementRequest, FirmClass, Needs, PlatformsReport, PlatformsRequest,
    QueryError, Scope, SynergyReport, SynergyRequest, TrendsReport, TrendsRequest,
    UniversitiesReport, UniversitiesRequest,
};

/// Candidate consortia listed when a section asks for them without `candidates`.
pub const DEFAULT_CANDIDATES: usize = 5;

/// The questions a `[[planner]]` section can ask.
pub const PLANNER_QUESTIONS: [&str; 6] = [
    "trends",
    "consortia",
    "synergy",
    "engagement",
    "platforms",
    "universities",
];

/// One planners' section of a batch report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannerSpec {
    /// File name stem (letters, digits, `-`, `_`).
    pub name: String,
    /// Which question: one of [`PLANNER_QUESTIONS`].
    pub question: String,
    /// Heading (default: the report's own).
    #[serde(default)]
    pub title: Option<String>,
    /// `A..B`: the years of `trends`, `consortia`, `synergy`, `universities`.
    #[serde(default)]
    pub years: Option<String>,
    /// Breakdowns of `trends` (signer, mode, district, field) or groupings of `synergy`
    /// (all, district, field).
    #[serde(default)]
    pub by: Vec<String>,
    /// Rows of the main list (consortia, firms, platforms, universities).
    #[serde(default)]
    pub top: Option<usize>,
    /// `engagement`: firm classes (chain_leader, large_firm).
    #[serde(default)]
    pub classes: Vec<String>,
    /// `engagement`: only the call list.
    #[serde(default)]
    pub not_engaged: bool,
    /// `platforms`: only these types.
    #[serde(default)]
    pub types: Vec<String>,
    /// `platforms`: only the under-performers.
    #[serde(default)]
    pub under: bool,
    /// `universities`: only the pilot universities.
    #[serde(default)]
    pub pilot: bool,
    /// `consortia`: candidate consortia in this field (id or name), tying the `with` actors.
    #[serde(default)]
    pub field: Option<String>,
    /// `consortia`: the actors (ids) the candidate consortia tie together.
    #[serde(default)]
    pub with: Vec<String>,
    /// `consortia`: how many candidate consortia to list (default 5).
    #[serde(default)]
    pub candidates: Option<usize>,
    /// Output formats: any of `md`, `csv`, `json`, `html` (`html` joins `report.html`).
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
}

fn default_formats() -> Vec<String> {
    vec!["md".into(), "csv".into()]
}

/// The answer to one section (serialised as the report it holds, with no tag).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum PlannerAnswer {
    /// `trends`.
    Trends(TrendsReport),
    /// `consortia`.
    Consortia(ConsortiaReport),
    /// `synergy`.
    Synergy(SynergyReport),
    /// `engagement`.
    Engagement(EngagementReport),
    /// `platforms`.
    Platforms(PlatformsReport),
    /// `universities`.
    Universities(UniversitiesReport),
}

impl PlannerSpec {
    /// Refuses a bad name, question, format or option before anything is computed.
    pub fn check(&self) -> Result<(), QueryError> {
        let bad =
            |what: String| QueryError::BadParameter(format!("planner `{}`: {what}", self.name));
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad("the name must be letters, digits, `-` or `_`".into()));
        }
        if !PLANNER_QUESTIONS.contains(&self.question.as_str()) {
            return Err(bad(format!(
                "unknown question `{}` ({})",
                self.question,
                PLANNER_QUESTIONS.join(", ")
            )));
        }
        for f in &self.formats {
            check_format(&self.name, f)?;
        }
        let asks_candidates =
            self.field.is_some() || !self.with.is_empty() || self.candidates.is_some();
        if asks_candidates && self.question != "consortia" {
            return Err(bad(
                "`field`, `with` and `candidates` are options of the consortia question".into(),
            ));
        }
        if asks_candidates && (self.field.is_none() || self.with.is_empty()) {
            return Err(bad(
                "candidate consortia need both `field` and `with` (the actors to tie)".into(),
            ));
        }
        self.request().map(|_| ())
    }

    /// What the section reads beyond the snapshot.
    pub fn needs(&self) -> Needs {
        match self.question.as_str() {
            "trends" => trends_needs(),
            "consortia" => consortia_needs(),
            "synergy" => synergy_needs(),
            "engagement" => engagement_needs(),
            "platforms" => platforms_needs(),
            _ => universities_needs(),
        }
    }

    fn request(&self) -> Result<Request, QueryError> {
        let years = self.years.as_deref().map(parse_years).transpose()?;
        Ok(match self.question.as_str() {
            "trends" => Request::Trends(TrendsRequest {
                years,
                by: self
                    .by
                    .iter()
                    .map(|b| Breakdown::parse(b))
                    .collect::<Result<_, _>>()?,
            }),
            "consortia" => Request::Consortia(ConsortiaRequest {
                years,
                per_year: true,
                top: Some(self.top.unwrap_or(20)),
                candidates: self.field.as_ref().map(|field| CandidatesRequest {
                    field: field.clone(),
                    with: self.with.clone(),
                    top: self.candidates.unwrap_or(DEFAULT_CANDIDATES),
                }),
            }),
            "synergy" => Request::Synergy(SynergyRequest {
                by: self
                    .by
                    .iter()
                    .map(|b| Scope::parse(b))
                    .collect::<Result<_, _>>()?,
                years,
                ..SynergyRequest::default()
            }),
            "engagement" => Request::Engagement(EngagementRequest {
                classes: self
                    .classes
                    .iter()
                    .map(|c| FirmClass::parse(c))
                    .collect::<Result<_, _>>()?,
                not_engaged: self.not_engaged,
                top: self.top,
                ..EngagementRequest::default()
            }),
            "platforms" => Request::Platforms(PlatformsRequest {
                types: self.types.clone(),
                under_only: self.under,
                top: self.top,
                ..PlatformsRequest::default()
            }),
            _ => Request::Universities(UniversitiesRequest {
                years,
                pilot_only: self.pilot,
                top: self.top,
            }),
        })
    }

    /// Answers the section on `eco` (loaded with at least [`PlannerSpec::needs`]); candidate
    /// consortia read and keep their trained rankers where `keeping` says.
    pub fn answer(
        &self,
        eco: &Ecosystem,
        keeping: &Keeping<'_>,
    ) -> Result<PlannerAnswer, QueryError> {
        Ok(match self.request()? {
            Request::Trends(r) => PlannerAnswer::Trends(trends(eco, &r)?),
            Request::Consortia(r) => PlannerAnswer::Consortia(consortia_kept(eco, &r, keeping)?),
            Request::Synergy(r) => PlannerAnswer::Synergy(synergy(eco, &r)?),
            Request::Engagement(r) => PlannerAnswer::Engagement(engagement(eco, &r)?),
            Request::Platforms(r) => PlannerAnswer::Platforms(platforms(eco, &r)?),
            Request::Universities(r) => PlannerAnswer::Universities(universities(eco, &r)?),
        })
    }
}

enum Request {
    Trends(TrendsRequest),
    Consortia(ConsortiaRequest),
    Synergy(SynergyRequest),
    Engagement(EngagementRequest),
    Platforms(PlatformsRequest),
    Universities(UniversitiesRequest),
}

/// What every section of `specs` reads, together (one load serves them all).
pub fn planner_needs(specs: &[PlannerSpec]) -> Needs {
    let mut needs = Needs::default();
    for s in specs {
        let n = s.needs();
        needs.node_kinds.extend(n.node_kinds);
        needs.contracts |= n.contracts;
        needs.companies |= n.companies;
    }
    needs.node_kinds.sort_unstable();
    needs.node_kinds.dedup();
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::planning_testing::shanghai;
    use crate::query::BatchSpec;

    const SHIPPED: &str = include_str!("../../fixtures/reports/shanghai-planners.toml");

    fn spec(extra: &str) -> Result<BatchSpec, QueryError> {
        BatchSpec::from_toml(&format!(
            "[[planner]]\nname = \"p\"\nquestion = \"consortia\"\n{extra}"
        ))
    }

    fn refusal(extra: &str) -> String {
        match spec(extra) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted: {extra}"),
        }
    }

    #[test]
    fn the_shipped_spec_asks_each_question_once_in_every_format() {
        let spec = BatchSpec::from_toml(SHIPPED).unwrap();
        let questions: Vec<&str> = spec.planners.iter().map(|p| p.question.as_str()).collect();
        assert_eq!(questions, PLANNER_QUESTIONS);
        for p in &spec.planners {
            assert_eq!(p.formats, ["md", "csv", "json", "html"], "{}", p.name);
            assert!(p.title.is_some(), "{}", p.name);
        }
    }

    #[test]
    fn a_spec_of_planners_alone_is_accepted_and_an_empty_one_refused() {
        assert_eq!(spec("").unwrap().planners.len(), 1);
        let empty = BatchSpec::from_toml("title = \"t\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            empty.contains("no [[report]] and no [[planner]]"),
            "{empty}"
        );
    }

    #[test]
    fn bad_sections_are_refused_with_the_section_named() {
        let unknown = BatchSpec::from_toml("[[planner]]\nname = \"p\"\nquestion = \"gdp\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("planner `p`") && unknown.contains("trends"),
            "{unknown}"
        );
        let name = BatchSpec::from_toml("[[planner]]\nname = \"a b\"\nquestion = \"trends\"\n")
            .unwrap_err()
            .to_string();
        assert!(name.contains("letters, digits"), "{name}");
        assert!(refusal("years = \"2024..2015\"").contains("2024"));
        assert!(refusal("formats = [\"pdf\"]").contains("pdf"));
        assert!(refusal("field = \"field:ai\"").contains("both `field` and `with`"));
        assert!(refusal("with = [\"univ:sjtu\"]").contains("both `field` and `with`"));
        assert!(refusal("colour = \"red\"").contains("colour"));
        let elsewhere = BatchSpec::from_toml(
            "[[planner]]\nname = \"p\"\nquestion = \"trends\"\nfield = \"f\"\nwith = [\"x\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            elsewhere.contains("options of the consortia question"),
            "{elsewhere}"
        );
        let by = BatchSpec::from_toml(
            "[[planner]]\nname = \"p\"\nquestion = \"trends\"\nby = [\"colour\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(by.contains("colour"), "{by}");
    }

    #[test]
    fn one_load_serves_every_section_and_each_answers_as_its_command() {
        let spec = BatchSpec::from_toml(SHIPPED).unwrap();
        let needs = planner_needs(&spec.planners);
        for p in &spec.planners {
            let n = p.needs();
            assert!(n.node_kinds.iter().all(|k| needs.node_kinds.contains(k)));
            assert!(!n.contracts || needs.contracts);
            assert!(!n.companies || needs.companies);
        }
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &needs).unwrap();
        for p in &spec.planners {
            let answer = p.answer(&eco, &Keeping::none()).unwrap();
            let alone = Ecosystem::load(&t.store, &p.needs()).unwrap();
            match (answer, p.question.as_str()) {
                (PlannerAnswer::Trends(r), "trends") => {
                    assert_eq!(r, trends(&alone, &TrendsRequest::default()).unwrap())
                }
                (PlannerAnswer::Consortia(r), "consortia") => assert_eq!(
                    r,
                    crate::query::consortia(
                        &alone,
                        &ConsortiaRequest {
                            per_year: true,
                            top: Some(20),
                            ..ConsortiaRequest::default()
                        }
                    )
                    .unwrap()
                ),
                (PlannerAnswer::Synergy(r), "synergy") => {
                    assert_eq!(r, synergy(&alone, &SynergyRequest::default()).unwrap())
                }
                (PlannerAnswer::Engagement(r), "engagement") => assert_eq!(
                    r,
                    engagement(&alone, &EngagementRequest::default()).unwrap()
                ),
                (PlannerAnswer::Platforms(r), "platforms") => {
                    assert_eq!(r, platforms(&alone, &PlatformsRequest::default()).unwrap())
                }
                (PlannerAnswer::Universities(r), "universities") => assert_eq!(
                    r,
                    universities(&alone, &UniversitiesRequest::default()).unwrap()
                ),
                (_, q) => panic!("section `{q}` answered another question"),
            }
        }
    }

    #[test]
    fn a_consortia_section_can_ask_for_candidates() {
        let spec =
            spec("field = \"field:medical-devices\"\nwith = [\"univ:sjtu\"]\ncandidates = 3\n")
                .unwrap();
        let Ok(Request::Consortia(r)) = spec.planners[0].request() else {
            panic!("not a consortia request");
        };
        assert_eq!(
            r.candidates,
            Some(CandidatesRequest {
                field: "field:medical-devices".into(),
                with: vec!["univ:sjtu".into()],
                top: 3,
            })
        );
    }
}
