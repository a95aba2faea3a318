fn main() {
    let p = std::env::args().nth(1).unwrap();
    let t = std::fs::read_to_string(p).unwrap();
    let c = imrlint::letter::parse_text(&t);
    println!("{}", serde_json::to_string_pretty(&c).unwrap());
}
