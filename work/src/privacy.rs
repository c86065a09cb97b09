//! The opt-out register, as work sees it.

use crate::Target;

/// Is a work item about households that all opted out of being approached (canvassing)? It is
/// then left out wherever work is listed, drawn or exported.
pub fn opted_out(
    model: &domain::Model,
    opt_outs: &domain::privacy::OptOutRegister,
    target: Target,
) -> bool {
    match target {
        Target::Verblijfsobject(a) => opt_outs.excludes(a, domain::access::Purpose::Canvassing),
        Target::Pand(p) => {
            let Some(row) = domain::BagId::new(p).and_then(|b| model.find_building(b)) else {
                return false;
            };
            let addresses: Vec<u64> = row
                .address_rows()
                .iter()
                .map(|i| model.address(*i).id().get())
                .collect();
            opt_outs.excludes_subject(None, &addresses, domain::access::Purpose::Canvassing)
        }
        Target::PublicSpace(_) | Target::Tree(_) => false,
    }
}
