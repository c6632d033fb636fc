#include "analyzer/checks/training_job_not_in_vpc.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void TrainingJobNotInVpc::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
