"""What the views share (the shells and the domains' commands, routes and pages): CLI
options and store access, HTTP paging and exports, dashboard page sections."""
