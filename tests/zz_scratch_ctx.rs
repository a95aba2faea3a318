use imrlint::facts::context::{ContextEngine, ContextSection};
use imrlint::negex_eval::locate_concept;
#[derive(serde::Deserialize)]
struct Pack { #[allow(dead_code)] version: u32, context: ContextSection }
#[test]
fn scratch() {
    let y = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/context.yaml")).unwrap();
    let p: Pack = serde_yaml::from_str(&y).unwrap();
    let e = ContextEngine::compile(&[&p.context]).unwrap();
    let cases = [
        ("The patient is a 55-year-old male with no known drug allergies who presents with CHEST PAIN.", "chest pain", "A"),
        ("Abdomen is soft, nontender, no hepatosplenomegaly, positive BOWEL SOUNDS.", "bowel sounds", "A"),
        ("He was ruled out for MYOCARDIAL INFARCTION by enzymes.", "myocardial infarction", "N"),
        ("MYOCARDIAL INFARCTION was ruled out.", "myocardial infarction", "N"),
        ("Chest x-ray showed no INFILTRATE, but a small EFFUSION.", "effusion", "A"),
        ("Chest x-ray showed no INFILTRATE, but a small effusion.", "infiltrate", "N"),
        ("There is no evidence of DEEP VENOUS THROMBOSIS in the left leg.", "deep venous thrombosis", "N"),
        ("The patient had no complaints of NAUSEA at the time of discharge.", "nausea", "N"),
        ("No significant change in the size of the PLEURAL EFFUSION.", "pleural effusion", "A"),
        ("The FEVER resolved after antibiotics were started.", "fever", "N"),
        ("He was afebrile and his WHITE COUNT was normal.", "white count", "A"),
        ("No acute distress, alert and ORIENTED.", "oriented", "A"),
        ("Patient is not a SMOKER.", "smoker", "N"),
        ("Tobacco: Denies.", "tobacco", "N"),
        ("Extremities: No edema, 2+ DORSALIS PEDIS PULSES bilaterally.", "dorsalis pedis pulses", "A"),
        ("The lungs are clear without WHEEZES.", "wheezes", "N"),
        ("Heart: Regular rate and rhythm without murmurs, RUBS or gallops.", "rubs", "N"),
        ("No masses were seen, and the MUCOSA appeared normal.", "mucosa", "A"),
        ("Negative for MALIGNANCY.", "malignancy", "N"),
        ("She has been free of SEIZURES for two years.", "seizures", "N"),
        ("He has had no recurrence of his ATRIAL FIBRILLATION.", "atrial fibrillation", "N"),
        ("The patient was started on Coumadin for ATRIAL FIBRILLATION.", "atrial fibrillation", "A"),
        ("Her pain is not relieved by NITROGLYCERIN.", "nitroglycerin", "A"),
        ("There is no pneumothorax. There is a small LEFT PLEURAL EFFUSION.", "left pleural effusion", "A"),
        ("Denies any history of MI.", "mi", "N"),
        ("CT of the head was negative for BLEED.", "bleed", "N"),
        ("CT of the head was NEGATIVE.", "ct of the head", "N"),
        ("The patient denies tobacco use and drinks ALCOHOL socially.", "alcohol", "A"),
        ("No lymphadenopathy.  HEENT: PERRLA.", "perrla", "A"),
        ("Without complications, the patient tolerated the PROCEDURE well.", "procedure", "A"),
    ];
    let mut bad = 0;
    for (s, c, g) in cases {
        let r = locate_concept(s, c);
        let a = &e.assess(s, &[r])[0];
        let n = matches!(a.status, imrlint::facts::context::Status::Negated | imrlint::facts::context::Status::Resolved);
        let got = if n { "N" } else { "A" };
        if got != g { bad += 1; eprintln!("MISS gold={g} got={:?} trig={:?}: {s}", a.status, a.trigger); }
    }
    eprintln!("{bad} misses");
}
