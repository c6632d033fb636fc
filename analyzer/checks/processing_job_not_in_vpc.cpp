#include "analyzer/checks/processing_job_not_in_vpc.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ProcessingJobNotInVpc::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
